package io.graphsync.workflows.bulk;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.graphsync.workflows.sync.ChangeEvent;
import java.util.List;

/**
 * What one {@link BackfillActivities#loadPages} call did.
 *
 * @param counts its counts
 * @param nextKey the last key done: where the next call continues
 * @param done whether the table has no more rows in scope
 * @param failed the rows that could not be written, as re-read events ({@code dataOmitted}: keys only, at the page's
 *     position) for the workflow to hand to their own sync workflows, where an operator sees, retries or skips them
 */
public record BackfillPageResult(
    @JsonProperty("counts") BackfillCounts counts,
    @JsonProperty("nextKey") String nextKey,
    @JsonProperty("done") boolean done,
    @JsonProperty("failed") List<ChangeEvent> failed) {

  public BackfillPageResult {
    failed = failed == null ? List.of() : List.copyOf(failed);
  }
}
