package io.graphsync.starters.cdc;

/**
 * Temporal did not accept one or more workflow starts of a batch (after the client's own RPC retries). The batch
 * is not acknowledged: Debezium delivers it again after the capture restarts.
 */
public class WorkflowStartException extends RuntimeException {

  public WorkflowStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
