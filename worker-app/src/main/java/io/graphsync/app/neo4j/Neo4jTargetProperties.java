package io.graphsync.app.neo4j;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Neo4j database graphsync writes ({@code graphsync.neo4j.*}); the connection itself is Spring Boot's
 * {@code spring.neo4j.*}.
 *
 * @param database the database every activity opens its sessions on; empty: the server's default database
 *     (environment {@code GRAPHSYNC_NEO4J_DATABASE})
 */
@ConfigurationProperties("graphsync.neo4j")
public record Neo4jTargetProperties(String database) {}
