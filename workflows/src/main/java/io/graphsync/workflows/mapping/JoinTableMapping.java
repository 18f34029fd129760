package io.graphsync.workflows.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A join table whose rows become relationships with properties: {@code (from)-[:TYPE {props}]->(to)}.
 *
 * @param table the join table
 * @param fromColumn the column referencing the start node's table
 * @param fromTable the start node's table (must be mapped)
 * @param toColumn the column referencing the end node's table
 * @param toTable the end node's table (must be mapped)
 * @param type the relationship type
 * @param tenantColumn the column holding the tenant id, or null
 * @param properties columns that become relationship properties
 * @param conversions column → conversion, as for tables
 */
public record JoinTableMapping(
    @JsonProperty("table") String table,
    @JsonProperty("fromColumn") String fromColumn,
    @JsonProperty("fromTable") String fromTable,
    @JsonProperty("toColumn") String toColumn,
    @JsonProperty("toTable") String toTable,
    @JsonProperty("type") String type,
    @JsonProperty("tenantColumn") String tenantColumn,
    @JsonProperty("properties") List<String> properties,
    @JsonProperty("conversions") Map<String, Conversion> conversions) {

  public JoinTableMapping {
    properties = properties == null ? List.of() : List.copyOf(properties);
    conversions = conversions == null ? Map.of() : Map.copyOf(conversions);
  }
}
