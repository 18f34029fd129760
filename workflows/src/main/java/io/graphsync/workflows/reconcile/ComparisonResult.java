package io.graphsync.workflows.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What {@link ReconciliationActivities#compare} found; also its heartbeat details (the cursor and the candidates so
 * far), from which a retried attempt resumes.
 *
 * @param table the table compared
 * @param nextKey the cursor after the last page: the last key compared; null when {@code done}
 * @param done whether the table is compared to its end
 * @param pages pages compared
 * @param rows rows compared
 * @param nodes graph elements compared
 * @param candidates the differences found (unconfirmed)
 */
public record ComparisonResult(
    @JsonProperty("table") String table,
    @JsonProperty("nextKey") String nextKey,
    @JsonProperty("done") boolean done,
    @JsonProperty("pages") int pages,
    @JsonProperty("rows") long rows,
    @JsonProperty("nodes") long nodes,
    @JsonProperty("candidates") List<Finding> candidates) {

  public ComparisonResult {
    candidates = candidates == null ? List.of() : List.copyOf(candidates);
  }
}
