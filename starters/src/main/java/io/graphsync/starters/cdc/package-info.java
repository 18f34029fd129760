/**
 * Change data capture: Debezium embedded reads committed PostgreSQL changes of the mapped tables, turns each into a
 * {@link io.graphsync.workflows.sync.ChangeEvent} and starts one {@code SyncChangeEventWorkflow} per change.
 *
 * <p>Guarantees: offsets are committed only after Temporal accepted every start of a batch (at-least-once into
 * Temporal); the workflow id is derived from the change, so a replayed change is acknowledged as a duplicate (exactly
 * one workflow per change); updates that touch only the sync bookkeeping columns start nothing (no sync loops); one
 * capture per replication slot at a time, by a PostgreSQL advisory lock. See {@link
 * io.graphsync.starters.cdc.PostgresCapture} for the Debezium settings and where offsets live.
 */
package io.graphsync.starters.cdc;
