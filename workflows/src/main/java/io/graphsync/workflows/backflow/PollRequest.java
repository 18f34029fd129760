package io.graphsync.workflows.backflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One poll of the graph for changes of the declared back-flow cases.
 *
 * @param since the watermark: changes with a {@code neo4jModifiedAt} at or after it (minus the overlap) are read
 * @param overlap how far before the watermark to look again, for writers whose transaction committed after a later
 *     one (their timestamps are taken before the commit); what is found again is deduplicated by workflow id
 * @param limit at most this many changes per case
 */
public record PollRequest(
    @JsonProperty("since") Instant since,
    @JsonProperty("overlapMillis") long overlapMillis,
    @JsonProperty("limit") int limit) {}
