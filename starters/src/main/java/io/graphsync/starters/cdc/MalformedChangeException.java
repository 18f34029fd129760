package io.graphsync.starters.cdc;

/**
 * A Debezium change record of a mapped table that cannot become a {@link io.graphsync.workflows.sync.ChangeEvent}:
 * no source position, no key value, an unknown operation. Bad data, never retried.
 */
public class MalformedChangeException extends RuntimeException {

  private final Long position;

  public MalformedChangeException(String message, Long position) {
    super(message);
    this.position = position;
  }

  /** The change's LSN when the record had one, else null. */
  public Long position() {
    return position;
  }
}
