package io.graphsync.workflows.bulk;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The result of a {@link SyncBatchWorkflow}.
 *
 * @param changes changes in the batch
 * @param applied changes written to the graph
 * @param marked rows marked SUCCESS
 * @param splitOut workflow ids of the changes handed to their own sync workflows
 */
public record SyncBatchSummary(
    @JsonProperty("changes") int changes,
    @JsonProperty("applied") int applied,
    @JsonProperty("marked") int marked,
    @JsonProperty("splitOut") List<String> splitOut) {}
