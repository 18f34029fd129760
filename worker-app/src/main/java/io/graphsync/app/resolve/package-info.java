/**
 * Manual conflict resolution: its activities, the policy of {@code ManualResolutionWorkflow}s, escalation, and the
 * REST API {@code /api/conflicts} ({@code graphsync.resolve.*}).
 */
package io.graphsync.app.resolve;
