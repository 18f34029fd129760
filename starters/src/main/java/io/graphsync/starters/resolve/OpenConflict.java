package io.graphsync.starters.resolve;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One open conflict as the visibility store lists it (no query to the workflow): enough to pick one and show it.
 *
 * @param workflowId {@code resolve/<EntityType>/<EntityId>}
 * @param entityType the label
 * @param entityId the row's key
 * @param tenantId the row's tenant, or null
 * @param status OPEN or OVERDUE (the {@code ConflictStatus} search attribute)
 * @param openedAt when the workflow started
 */
public record OpenConflict(
    @JsonProperty("workflowId") String workflowId,
    @JsonProperty("entityType") String entityType,
    @JsonProperty("entityId") String entityId,
    @JsonProperty("tenantId") String tenantId,
    @JsonProperty("status") String status,
    @JsonProperty("openedAt") Instant openedAt) {}
