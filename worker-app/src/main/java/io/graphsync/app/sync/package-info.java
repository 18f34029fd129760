/**
 * The PostgreSQL → Neo4j sync: the capture (Debezium, its lifecycle, health and meters; {@code graphsync.capture.*}),
 * the sync activities (per change, grouped {@code SyncBatchWorkflow}s, TRUNCATE), their meters, and the policy of
 * {@code SyncChangeEventWorkflow}s ({@code graphsync.sync.*}).
 */
package io.graphsync.app.sync;
