package io.graphsync.workflows.health;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the worker saw of the two stores. */
public record StoreProbe(
    @JsonProperty("postgresVersion") String postgresVersion,
    @JsonProperty("walLevel") String walLevel,
    @JsonProperty("neo4jVersion") String neo4jVersion,
    @JsonProperty("neo4jEdition") String neo4jEdition) {}
