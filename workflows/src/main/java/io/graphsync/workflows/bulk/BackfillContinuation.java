package io.graphsync.workflows.bulk;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Where a backfill continues after continue-as-new.
 *
 * @param plan the tables and their row counts, fixed when the backfill started
 * @param tableIndex the table being loaded
 * @param afterKey the last key done in that table (null: from its start)
 * @param counts the counts so far
 * @param segment how many runs came before this one
 * @param startedAt when the first run started
 */
public record BackfillContinuation(
    @JsonProperty("plan") BackfillPlan plan,
    @JsonProperty("tableIndex") int tableIndex,
    @JsonProperty("afterKey") String afterKey,
    @JsonProperty("counts") BackfillCounts counts,
    @JsonProperty("segment") int segment,
    @JsonProperty("startedAt") Instant startedAt) {}
