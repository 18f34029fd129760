package io.graphsync.workflows.resolve;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One mapped property whose values differ, both in the graph's representation (JSON-friendly: text, numbers,
 * booleans, lists; temporal values as ISO-8601 text); null where a side lacks it.
 */
public record PropertyDifference(
    @JsonProperty("property") String property,
    @JsonProperty("postgres") Object postgres,
    @JsonProperty("neo4j") Object neo4j) {}
