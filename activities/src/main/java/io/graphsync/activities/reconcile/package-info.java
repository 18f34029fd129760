/**
 * Reconciliation's activities: {@link io.graphsync.activities.reconcile.ReconciliationActivitiesImpl} compares
 * PostgreSQL rows (REPEATABLE READ snapshots, in the capture's representation, converted as the graph writer converts
 * them) with Neo4j nodes and relationships in key-ordered pages, re-checks candidates, and records runs and findings
 * in {@code graphsync.reconciliation_run} and {@code graphsync.reconciliation_finding}.
 */
package io.graphsync.activities.reconcile;
