package io.graphsync.workflows.health;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The health check's result. {@code checkedAtMillis} is workflow time. */
public record HealthReport(
    @JsonProperty("workflowId") String workflowId,
    @JsonProperty("taskQueue") String taskQueue,
    @JsonProperty("stores") StoreProbe stores,
    @JsonProperty("checkedAtMillis") long checkedAtMillis) {}
