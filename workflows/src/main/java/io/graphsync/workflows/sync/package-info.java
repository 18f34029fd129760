/**
 * The main flow, PostgreSQL to Neo4j: the unified {@link io.graphsync.workflows.sync.ChangeEvent}, the
 * {@link io.graphsync.workflows.sync.SyncChangeEventWorkflow} that every change starts, and the activity
 * interfaces it calls.
 */
package io.graphsync.workflows.sync;
