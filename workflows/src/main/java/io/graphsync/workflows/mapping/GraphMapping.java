package io.graphsync.workflows.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/** The whole mapping: entity tables and join tables. */
public record GraphMapping(
    @JsonProperty("tables") List<TableMapping> tables,
    @JsonProperty("joinTables") List<JoinTableMapping> joinTables) {

  /** The sync bookkeeping columns every entity table carries; never mapped, and changes to them alone never sync. */
  public static final List<String> SYNC_COLUMNS = List.of(
      "pg_version", "sync_status", "sync_attempts", "last_sync_error", "last_sync_timestamp", "neo4j_node_id");

  public GraphMapping {
    tables = tables == null ? List.of() : List.copyOf(tables);
    joinTables = joinTables == null ? List.of() : List.copyOf(joinTables);
  }

  public Optional<TableMapping> table(String name) {
    return tables.stream().filter(t -> t.table().equals(name)).findFirst();
  }

  public Optional<JoinTableMapping> joinTable(String name) {
    return joinTables.stream().filter(t -> t.table().equals(name)).findFirst();
  }
}
