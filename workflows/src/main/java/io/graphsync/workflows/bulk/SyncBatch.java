package io.graphsync.workflows.bulk;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.graphsync.workflows.sync.ChangeEvent;
import java.util.List;

/**
 * Captured changes synced together by one {@link SyncBatchWorkflow}: a large transaction or a backlog. Bounded by the
 * capture in count and bytes (well under Temporal's payload limits; a large row travels as its key and is re-read).
 *
 * @param batchId deterministic from the positions it holds ({@code <first>-<last>}), for the workflow id
 * @param events the changes, in capture order
 */
public record SyncBatch(
    @JsonProperty("batchId") String batchId,
    @JsonProperty("events") List<ChangeEvent> events) {

  public SyncBatch {
    events = List.copyOf(events);
  }

  /** The workflow id of a batch: {@code sync-batch/<first position>-<last position>}. */
  public String workflowId() {
    return "sync-batch/" + batchId;
  }

  /** A batch of {@code events}, named by the first and last position. */
  public static SyncBatch of(List<ChangeEvent> events) {
    if (events.isEmpty()) {
      throw new IllegalArgumentException("a batch needs changes");
    }
    return new SyncBatch(events.get(0).position() + "-" + events.get(events.size() - 1).position(), events);
  }
}
