package io.graphsync.workflows.bulk;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@link BatchSyncActivities#applyBatchToGraph} did with one change of a batch.
 *
 * @param eventId the change
 * @param applied written; false when the graph already held it or something newer (also a change superseded by a
 *     later change of the same entity in the same batch)
 * @param nodeId the element id of the node written, or null
 * @param error why the change could not be written (bad data: it goes to its own sync workflow), or null
 */
public record BatchItemResult(
    @JsonProperty("eventId") String eventId,
    @JsonProperty("applied") boolean applied,
    @JsonProperty("nodeId") String nodeId,
    @JsonProperty("error") String error) {

  public boolean failed() {
    return error != null;
  }
}
