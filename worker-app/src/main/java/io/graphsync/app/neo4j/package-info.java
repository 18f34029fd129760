/**
 * The graph graphsync writes: one {@link io.graphsync.activities.neo4j.Neo4jTarget} (Spring Boot's Neo4j driver and
 * the database, {@code graphsync.neo4j.database}) that every activity opens its sessions with.
 */
package io.graphsync.app.neo4j;
