package io.graphsync.workflows.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What {@link ReconciliationWorkflow#progress()} returns while the run goes on.
 *
 * @param phase STARTING, COMPARING, GRACE (waiting before the re-check), CONFIRMING, REPAIRING, DONE
 * @param runId the {@code graphsync.reconciliation_run} row, 0 before it is recorded
 * @param tables the tables of the run
 * @param tableIndex the table being compared (== tables.size() when all are done)
 * @param afterKey the cursor in that table
 * @param pendingCandidates candidates waiting for the re-check
 * @param counts the totals so far (over continue-as-new)
 * @param segment how many times the run continued as new
 */
public record ReconciliationProgress(
    @JsonProperty("phase") String phase,
    @JsonProperty("runId") long runId,
    @JsonProperty("tables") List<String> tables,
    @JsonProperty("tableIndex") int tableIndex,
    @JsonProperty("afterKey") String afterKey,
    @JsonProperty("pendingCandidates") int pendingCandidates,
    @JsonProperty("counts") ReconciliationCounts counts,
    @JsonProperty("segment") int segment) {}
