package io.graphsync.workflows.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A reconciliation run as {@link ReconciliationActivities#beginRun} recorded it.
 *
 * @param runId the {@code graphsync.reconciliation_run} row
 * @param tables the tables to compare, in order: the requested ones, or every mapped entity table then every join
 *     table
 */
public record ReconciliationRun(
    @JsonProperty("runId") long runId,
    @JsonProperty("tables") List<String> tables) {

  public ReconciliationRun {
    tables = List.copyOf(tables);
  }
}
