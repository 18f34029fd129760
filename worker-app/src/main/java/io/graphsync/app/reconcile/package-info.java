/**
 * Reconciliation: its activities and repairs, the policy of {@code ReconciliationWorkflow}s and the Temporal Schedule
 * installed at start ({@code graphsync.reconciliation.*}).
 */
package io.graphsync.app.reconcile;
