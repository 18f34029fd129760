package io.graphsync.workflows.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/**
 * The whole mapping: entity tables and join tables, and the declared cases that flow back from Neo4j
 * ({@code backflow}; none by default).
 */
public record GraphMapping(
    @JsonProperty("tables") List<TableMapping> tables,
    @JsonProperty("joinTables") List<JoinTableMapping> joinTables,
    @JsonProperty("backflow") List<BackflowCase> backflow) {

  /** The sync bookkeeping columns every entity table carries; never mapped, and changes to them alone never sync. */
  public static final List<String> SYNC_COLUMNS = List.of(
      "pg_version", "sync_status", "sync_attempts", "last_sync_error", "last_sync_timestamp", "neo4j_node_id");

  /**
   * The columns {@code graphsync.enable_backflow(table)} adds to a table of a back-flow case: the origin marker of the
   * last business write ({@code neo4j:<neo4jVersion>} when the back-flow wrote it, else null) and the row's last
   * business modification time. Never properties.
   */
  public static final List<String> BACKFLOW_COLUMNS = List.of("sync_origin", "last_modified_at");

  /** The prefix of {@code sync_origin} when the back-flow wrote the row. */
  public static final String NEO4J_ORIGIN_PREFIX = "neo4j:";

  public GraphMapping {
    tables = tables == null ? List.of() : List.copyOf(tables);
    joinTables = joinTables == null ? List.of() : List.copyOf(joinTables);
    backflow = backflow == null ? List.of() : List.copyOf(backflow);
  }

  /** A mapping without back-flow cases. */
  public GraphMapping(List<TableMapping> tables, List<JoinTableMapping> joinTables) {
    this(tables, joinTables, List.of());
  }

  /** The back-flow case of a label (nodes) or relationship type, if one is declared. */
  public Optional<BackflowCase> backflowCase(String labelOrType) {
    return backflow.stream().filter(c -> c.name().equals(labelOrType)).findFirst();
  }

  public Optional<TableMapping> table(String name) {
    return tables.stream().filter(t -> t.table().equals(name)).findFirst();
  }

  public Optional<JoinTableMapping> joinTable(String name) {
    return joinTables.stream().filter(t -> t.table().equals(name)).findFirst();
  }
}
