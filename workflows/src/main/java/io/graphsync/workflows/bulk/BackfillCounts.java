package io.graphsync.workflows.bulk;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a backfill did so far.
 *
 * @param rows rows read from PostgreSQL
 * @param applied rows written to the graph
 * @param stale rows the graph already had at a later position (a live change won): left as they are
 * @param failed rows that could not be written (bad data); each was handed to its own sync workflow
 * @param pages pages done
 */
public record BackfillCounts(
    @JsonProperty("rows") long rows,
    @JsonProperty("applied") long applied,
    @JsonProperty("stale") long stale,
    @JsonProperty("failed") long failed,
    @JsonProperty("pages") long pages) {

  public static final BackfillCounts ZERO = new BackfillCounts(0, 0, 0, 0, 0);

  public BackfillCounts plus(BackfillCounts other) {
    return new BackfillCounts(rows + other.rows, applied + other.applied, stale + other.stale,
        failed + other.failed, pages + other.pages);
  }
}
