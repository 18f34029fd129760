package io.graphsync.workflows.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * What {@link SyncChangeEventWorkflow#state()} returns: where the sync stands, and for a FAILED one what an operator
 * needs to decide.
 *
 * @param status RUNNING, SUCCESS, FAILED (waiting for {@code retry} or {@code skip}), RETRYING or SKIPPED
 * @param attempts the attempts of {@code applyToGraph} so far, over all operator retries
 * @param lastError the last failure, {@code <type>: <message>}, or null
 * @param failedAt when the sync was last recorded FAILED, or null
 * @param decisionDeadline until when a FAILED sync waits for an operator, or null when it is not waiting
 * @param operatorRetries how many {@code retry} signals were acted on
 * @param detail the skip reason, or which newer change superseded this one, or null
 */
public record SyncState(
    @JsonProperty("status") SyncStatus status,
    @JsonProperty("attempts") int attempts,
    @JsonProperty("lastError") String lastError,
    @JsonProperty("failedAt") Instant failedAt,
    @JsonProperty("decisionDeadline") Instant decisionDeadline,
    @JsonProperty("operatorRetries") int operatorRetries,
    @JsonProperty("detail") String detail) {

  public static SyncState running() {
    return new SyncState(SyncStatus.RUNNING, 0, null, null, null, 0, null);
  }

  SyncState withStatus(SyncStatus newStatus) {
    return new SyncState(newStatus, attempts, lastError, failedAt, decisionDeadline, operatorRetries, detail);
  }

  public SyncState failed(int totalAttempts, String error, Instant at, Instant deadline) {
    return new SyncState(SyncStatus.FAILED, totalAttempts, error, at, deadline, operatorRetries, detail);
  }

  public SyncState retrying() {
    return new SyncState(SyncStatus.RETRYING, attempts, lastError, failedAt, null, operatorRetries + 1, detail);
  }

  public SyncState finished(SyncStatus newStatus, int totalAttempts, String newDetail) {
    return new SyncState(newStatus, totalAttempts, lastError, failedAt, null, operatorRetries, newDetail);
  }
}
