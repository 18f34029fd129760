package io.graphsync.workflows.resolve;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * An approval the workflow did not act on, and why: malformed (no resolution, no {@code by}), stale (it names a
 * revision older than the conflict's), or it could not be applied (e.g. KEEP_NEO4J while the row changed since).
 *
 * @param approval the approval as it arrived
 * @param reason why it was rejected
 * @param revision the conflict's revision when it was rejected
 * @param rejectedAt when (workflow time)
 */
public record RejectedApproval(
    @JsonProperty("approval") Approval approval,
    @JsonProperty("reason") String reason,
    @JsonProperty("revision") int revision,
    @JsonProperty("rejectedAt") Instant rejectedAt) {}
