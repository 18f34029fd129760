package io.graphsync.workflows.bulk;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** The result of a backfill. */
public record BackfillSummary(
    @JsonProperty("tables") List<String> tables,
    @JsonProperty("tenantId") String tenantId,
    @JsonProperty("counts") BackfillCounts counts,
    @JsonProperty("failedWorkflowIds") List<String> failedWorkflowIds,
    @JsonProperty("runs") int runs,
    @JsonProperty("startedAt") Instant startedAt,
    @JsonProperty("finishedAt") Instant finishedAt) {}
