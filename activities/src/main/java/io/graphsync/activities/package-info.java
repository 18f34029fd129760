/** Activity implementations: plain classes over a JDBC {@code DataSource} and a Neo4j {@code Driver}. */
package io.graphsync.activities;
