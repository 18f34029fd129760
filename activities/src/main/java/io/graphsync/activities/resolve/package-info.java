/**
 * The effects of a person's decision about a conflict ({@code ManualResolutionWorkflow}): the RECONCILIATION change
 * that rewrites a node from its row (KEEP_POSTGRES), the guarded update of a row from its node (KEEP_NEO4J), and the
 * audit record of every decision ({@code graphsync.conflict_audit}). One class per decision
 * ({@link io.graphsync.activities.resolve.KeepPostgres}, {@link io.graphsync.activities.resolve.KeepNeo4j},
 * {@link io.graphsync.activities.resolve.DecisionAudit}) behind the façade
 * {@link io.graphsync.activities.resolve.ResolutionActivitiesImpl} that worker-app registers.
 */
package io.graphsync.activities.resolve;
