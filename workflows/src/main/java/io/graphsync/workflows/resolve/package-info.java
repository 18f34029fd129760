/**
 * Manual conflict resolution: what reconciliation must not decide by itself (e.g. the same {@code pg_version} with
 * different content — someone edited Neo4j directly) becomes one long-lived
 * {@link io.graphsync.workflows.resolve.ManualResolutionWorkflow} per entity, waiting for a person's
 * {@link io.graphsync.workflows.resolve.Approval}.
 */
package io.graphsync.workflows.resolve;
