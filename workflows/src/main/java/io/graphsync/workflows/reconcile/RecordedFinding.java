package io.graphsync.workflows.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A confirmed finding with what was done about it, as stored in {@code graphsync.reconciliation_finding}.
 *
 * @param finding the finding
 * @param action what was done
 * @param workflowId the sync workflow started to repair it, or the {@code ManualResolutionWorkflow} it went to; null
 *     when only recorded
 * @param position the repair's position (the re-check's WAL LSN), or null
 */
public record RecordedFinding(
    @JsonProperty("finding") Finding finding,
    @JsonProperty("action") FindingAction action,
    @JsonProperty("workflowId") String workflowId,
    @JsonProperty("position") Long position) {}
