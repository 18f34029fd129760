/**
 * The PostgreSQL layer the activities share, small on purpose:
 * {@link io.graphsync.activities.postgres.SqlIdentifiers} quotes every identifier written into SQL text,
 * {@link io.graphsync.activities.postgres.PostgresFailures} turns a {@code SQLException} into a retried exception or a
 * non-retryable {@code ApplicationFailure} by its SQLState, {@link io.graphsync.activities.postgres.RowReads} reads a
 * row by its key (plain, or locked together with the WAL insert position), and
 * {@link io.graphsync.activities.postgres.Catalog} reads the column types of a mapped table.
 */
package io.graphsync.activities.postgres;
