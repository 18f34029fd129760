/**
 * Reconciliation: {@link io.graphsync.workflows.reconcile.ReconciliationWorkflow} compares PostgreSQL (the source of
 * truth) with the graph in key-ordered pages, confirms what still differs after a grace period (a change in flight is
 * not drift), repairs the simple cases by starting ordinary {@code SyncChangeEventWorkflow}s with
 * {@code source=RECONCILIATION}, escalates what needs a person ({@code EscalationActivities}), and records every
 * finding with the action taken.
 */
package io.graphsync.workflows.reconcile;
