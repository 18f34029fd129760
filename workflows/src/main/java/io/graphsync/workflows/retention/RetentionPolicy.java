package io.graphsync.workflows.retention;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * How long graphsync keeps its own records; null keeps that kind for ever.
 *
 * @param findings reconciliation runs (finished) and their findings, by the run's end
 * @param rejects {@code graphsync.capture_rejects} rows, by the time of the reject
 * @param conflictAudit {@code graphsync.conflict_audit} rows, by the time of the decision
 * @param batchSize rows deleted per statement (short transactions on a busy database)
 */
public record RetentionPolicy(
    @JsonProperty("findings") Duration findings,
    @JsonProperty("rejects") Duration rejects,
    @JsonProperty("conflictAudit") Duration conflictAudit,
    @JsonProperty("batchSize") int batchSize) {

  public RetentionPolicy {
    if (batchSize <= 0) {
      batchSize = 5_000;
    }
  }
}
