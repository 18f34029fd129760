package io.graphsync.starters.cdc;

import io.graphsync.workflows.mapping.GraphMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The mapped tables by their qualified name: what the capture includes, and how it finds a change's table. */
final class MappedTables {

  private final Map<String, MappedTable> byQualifiedName;

  MappedTables(GraphMapping mapping, String defaultSchema) {
    Map<String, MappedTable> tables = new LinkedHashMap<>();
    Stream.concat(
            mapping.tables().stream().map(t -> MappedTable.entity(t, defaultSchema)),
            mapping.joinTables().stream().map(t -> MappedTable.join(t, defaultSchema)))
        .forEach(table -> {
          if (tables.putIfAbsent(table.qualifiedName(), table) != null) {
            throw new IllegalArgumentException("table mapped twice: " + table.qualifiedName());
          }
        });
    this.byQualifiedName = Map.copyOf(tables);
  }

  Optional<MappedTable> find(String schema, String table) {
    return Optional.ofNullable(byQualifiedName.get(schema + "." + table));
  }

  /** Qualified names in mapping order. */
  List<String> qualifiedNames() {
    return byQualifiedName.keySet().stream().sorted().toList();
  }

  /** Debezium's {@code table.include.list}: anchored regular expressions, so the dot is escaped. */
  String includeList() {
    return qualifiedNames().stream()
        .map(name -> name.replace(".", "\\."))
        .collect(Collectors.joining(","));
  }
}
