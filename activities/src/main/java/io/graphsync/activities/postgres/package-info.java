/**
 * The PostgreSQL layer the activities share: {@link io.graphsync.activities.postgres.SqlIdentifiers} quotes every
 * identifier written into SQL text.
 */
package io.graphsync.activities.postgres;
