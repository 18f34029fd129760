/**
 * The bulk path: {@link io.graphsync.workflows.bulk.BackfillWorkflow} loads the existing rows of mapped tables into
 * the graph in key-ordered pages (one batched Neo4j write and one {@code sync_status} statement per page), on the
 * {@code sync-bulk} lane, under the same per-entity guards as the per-change path.
 */
package io.graphsync.workflows.bulk;
