package io.graphsync.workflows.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * The result of a reconciliation; the findings themselves are in {@code graphsync.reconciliation_finding}
 * ({@code WHERE run_id = <runId>}).
 *
 * @param runId the {@code graphsync.reconciliation_run} row
 * @param tables the tables compared
 * @param tenantId the tenant scope, or null
 * @param counts the totals
 * @param segments workflow runs (1 + continue-as-new count)
 * @param startedAt when the first run started
 * @param finishedAt when it finished
 */
public record ReconciliationSummary(
    @JsonProperty("runId") long runId,
    @JsonProperty("tables") List<String> tables,
    @JsonProperty("tenantId") String tenantId,
    @JsonProperty("counts") ReconciliationCounts counts,
    @JsonProperty("segments") int segments,
    @JsonProperty("startedAt") Instant startedAt,
    @JsonProperty("finishedAt") Instant finishedAt) {}
