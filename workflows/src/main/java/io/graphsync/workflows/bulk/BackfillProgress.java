package io.graphsync.workflows.bulk;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The {@code progress} query's answer.
 *
 * @param phase PLANNING, LOADING, DONE
 * @param tables the tables, in order
 * @param table the table being loaded, or null
 * @param afterKey the last key done in it
 * @param totalRows rows in scope when the backfill started
 * @param percentDone rows read / totalRows, 0 to 100
 * @param counts the counts so far
 * @param segment the run's number (continue-as-new)
 */
public record BackfillProgress(
    @JsonProperty("phase") String phase,
    @JsonProperty("tables") List<String> tables,
    @JsonProperty("table") String table,
    @JsonProperty("afterKey") String afterKey,
    @JsonProperty("totalRows") long totalRows,
    @JsonProperty("percentDone") int percentDone,
    @JsonProperty("counts") BackfillCounts counts,
    @JsonProperty("segment") int segment) {}
