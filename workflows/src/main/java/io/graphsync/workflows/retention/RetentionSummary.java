package io.graphsync.workflows.retention;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What one retention run deleted (the workflow's result, shown in the Web UI). */
public record RetentionSummary(
    @JsonProperty("reconciliationRuns") long reconciliationRuns,
    @JsonProperty("findings") long findings,
    @JsonProperty("rejects") long rejects,
    @JsonProperty("conflictAudit") long conflictAudit) {}
