package io.graphsync.activities.backflow;

import static io.graphsync.activities.mapping.Identifiers.quote;

import io.graphsync.activities.mapping.MappedColumn;
import io.graphsync.activities.mapping.MappedColumns;
import io.graphsync.workflows.mapping.BackflowCase;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declared back-flow cases of a resolved mapping, each with what the poll, the write and the stamp need: the table,
 * the key and tenant columns, the labels, and the columns written (with their property names).
 */
final class BackflowCases {

  /** One case, resolved against its forward mapping. */
  record Resolved(BackflowCase declared, String table, TableMapping entity, JoinTableMapping join, String fromLabel,
      String toLabel, List<MappedColumn> columns) {

    boolean relationship() {
      return join != null;
    }

    String name() {
      return declared.name();
    }

    /** The Cypher pattern of the element, binding {@code n} (nodes) or {@code a}, {@code r}, {@code b}. */
    String pattern() {
      return relationship()
          ? "(a:" + quote(fromLabel) + " {id: $from})-[r:" + quote(join.type()) + "]->(b:" + quote(toLabel)
              + " {id: $to})"
          : "(n:" + quote(entity.label()) + " {id: $id})";
    }

    /** The element variable of {@link #pattern()}. */
    String element() {
      return relationship() ? "r" : "n";
    }
  }

  private final Map<String, Resolved> byName = new LinkedHashMap<>();
  private final Map<String, Resolved> byTable = new LinkedHashMap<>();

  BackflowCases(GraphMapping mapping) {
    for (BackflowCase declared : mapping.backflow()) {
      Resolved resolved;
      if (declared.relationship()) {
        JoinTableMapping join = mapping.joinTables().stream().filter(j -> declared.type().equals(j.type()))
            .findFirst().orElseThrow(() -> new IllegalArgumentException("backflow '" + declared.name()
                + "': no join table of that type (validate the mapping first)"));
        String from = mapping.table(join.fromTable()).map(TableMapping::label).orElseThrow();
        String to = mapping.table(join.toTable()).map(TableMapping::label).orElseThrow();
        resolved = new Resolved(declared, join.table(), null, join, from, to, MappedColumns.of(join));
      } else {
        TableMapping entity = mapping.tables().stream().filter(t -> declared.label().equals(t.label())).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("backflow '" + declared.name()
                + "': no table of that label (validate the mapping first)"));
        List<MappedColumn> columns = new ArrayList<>();
        for (MappedColumn column : MappedColumns.of(entity)) {
          if (declared.properties().isEmpty() || declared.properties().contains(column.property())) {
            columns.add(column);
          }
        }
        resolved = new Resolved(declared, entity.table(), entity, null, null, null, List.copyOf(columns));
      }
      byName.put(declared.name(), resolved);
      byTable.put(resolved.table(), resolved);
    }
  }

  List<Resolved> all() {
    return List.copyOf(byName.values());
  }

  Optional<Resolved> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  Optional<Resolved> byTable(String table) {
    return Optional.ofNullable(byTable.get(table));
  }
}
