package io.graphsync.workflows.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A table that becomes nodes of one label.
 *
 * @param table the PostgreSQL table (schema-qualified or in the search path's first schema)
 * @param label the node label; it must be a valid identifier, never built from data
 * @param key the primary-key column, becomes the node's {@code id} and {@code pgId}
 * @param tenantColumn the column holding the tenant id, or null
 * @param include columns to map as properties; empty = every column not excluded
 * @param exclude columns never mapped (the sync columns and foreign keys are never properties anyway)
 * @param rename column → property name; unnamed columns keep the column name
 * @param conversions column → conversion; unnamed columns get one from their PostgreSQL type
 * @param relationships foreign keys that become relationships
 */
public record TableMapping(
    @JsonProperty("table") String table,
    @JsonProperty("label") String label,
    @JsonProperty("key") String key,
    @JsonProperty("tenantColumn") String tenantColumn,
    @JsonProperty("include") List<String> include,
    @JsonProperty("exclude") List<String> exclude,
    @JsonProperty("rename") Map<String, String> rename,
    @JsonProperty("conversions") Map<String, Conversion> conversions,
    @JsonProperty("relationships") List<RelationshipMapping> relationships) {

  public TableMapping {
    include = include == null ? List.of() : List.copyOf(include);
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
    rename = rename == null ? Map.of() : Map.copyOf(rename);
    conversions = conversions == null ? Map.of() : Map.copyOf(conversions);
    relationships = relationships == null ? List.of() : List.copyOf(relationships);
  }
}
