package io.graphsync.workflows.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A foreign key that becomes a relationship.
 *
 * @param column the foreign-key column of this table
 * @param target the referenced table (must be mapped)
 * @param type the relationship type, e.g. {@code IN_THREAD}
 * @param direction seen from this table's row
 */
public record RelationshipMapping(
    @JsonProperty("column") String column,
    @JsonProperty("target") String target,
    @JsonProperty("type") String type,
    @JsonProperty("direction") Direction direction) {}
