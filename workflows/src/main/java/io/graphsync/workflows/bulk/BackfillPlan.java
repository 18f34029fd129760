package io.graphsync.workflows.bulk;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The tables a backfill loads, in order, with how many rows each had in scope when it started (for the percentage;
 * rows inserted meanwhile arrive through the capture anyway).
 */
public record BackfillPlan(
    @JsonProperty("tables") List<String> tables,
    @JsonProperty("rowCounts") List<Long> rowCounts) {

  public BackfillPlan {
    tables = List.copyOf(tables);
    rowCounts = List.copyOf(rowCounts);
    if (tables.size() != rowCounts.size()) {
      throw new IllegalArgumentException("one row count per table: " + tables + " " + rowCounts);
    }
  }

  public long totalRows() {
    return rowCounts.stream().mapToLong(Long::longValue).sum();
  }
}
