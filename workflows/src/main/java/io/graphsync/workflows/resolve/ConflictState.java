package io.graphsync.workflows.resolve;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * What {@link ManualResolutionWorkflow#conflict()} returns.
 *
 * @param conflict the current conflict (both sides, the differences)
 * @param revision 1 for the first finding, bumped by every {@code report} that changed it
 * @param status OPEN, OVERDUE (the reminder timer fired), APPLYING, RESOLVED
 * @param openedAt when the first finding arrived
 * @param rejectedApprovals approvals that were rejected, with the reason, newest last
 * @param decision the accepted approval, or null
 */
public record ConflictState(
    @JsonProperty("conflict") Conflict conflict,
    @JsonProperty("revision") int revision,
    @JsonProperty("status") String status,
    @JsonProperty("openedAt") Instant openedAt,
    @JsonProperty("rejectedApprovals") List<String> rejectedApprovals,
    @JsonProperty("decision") Approval decision) {}
