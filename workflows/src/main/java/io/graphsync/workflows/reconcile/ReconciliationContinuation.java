package io.graphsync.workflows.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * Where a reconciliation continues after continue-as-new: set by the workflow itself, never by a caller.
 *
 * @param runId the {@code graphsync.reconciliation_run} row
 * @param tables the tables of the run, in order
 * @param tableIndex the table being compared
 * @param afterKey the cursor: the last key compared in that table (text order), or null to start the table
 * @param counts the totals so far
 * @param segment how many times the run continued as new
 * @param startedAt when the first segment started
 */
public record ReconciliationContinuation(
    @JsonProperty("runId") long runId,
    @JsonProperty("tables") List<String> tables,
    @JsonProperty("tableIndex") int tableIndex,
    @JsonProperty("afterKey") String afterKey,
    @JsonProperty("counts") ReconciliationCounts counts,
    @JsonProperty("segment") int segment,
    @JsonProperty("startedAt") Instant startedAt) {

  public ReconciliationContinuation {
    tables = List.copyOf(tables);
  }
}
