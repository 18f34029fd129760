/** The backfill's activities: key-ordered, row-locked pages of PostgreSQL written to Neo4j in batches. */
package io.graphsync.activities.bulk;
