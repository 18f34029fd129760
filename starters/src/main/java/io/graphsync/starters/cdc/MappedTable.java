package io.graphsync.starters.cdc;

import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.RelationshipMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the capture needs to know about one mapped table, entity or join table alike.
 *
 * @param name the table as the mapping names it; becomes {@code ChangeEvent.table}
 * @param qualifiedName {@code schema.table}, as Debezium reports it
 * @param entityType the node label, or the relationship type of a join table
 * @param keyColumns the key: one column for entity tables, {@code from} and {@code to} for join tables
 * @param tenantColumn the column holding the tenant id, or null
 * @param foreignKeyColumns the columns that become relationships (entity tables; a join table's are its keys)
 * @param versioned whether rows carry {@code pg_version} and the sync bookkeeping columns
 * @param mappedColumns the columns the (resolved) mapping reads: key, tenant, foreign keys and property columns; a
 *     change of a row without one of them is schema drift ({@link SchemaDrift})
 * @param knownColumns every column the mapping names, mapped or excluded, plus the bookkeeping columns; a row column
 *     outside them is one the mapping does not name (logged once, shown in health). Empty: not checked (an entity
 *     mapping without {@code include} maps every column)
 * @param excludedColumns the columns the mapping excludes: they never go into a change event
 */
record MappedTable(
    String name, String qualifiedName, String entityType, List<String> keyColumns, String tenantColumn,
    List<String> foreignKeyColumns, boolean versioned, Set<String> mappedColumns, Set<String> knownColumns,
    Set<String> excludedColumns) {

  /** The version column of entity tables. */
  static final String VERSION_COLUMN = "pg_version";

  MappedTable {
    keyColumns = List.copyOf(keyColumns);
    foreignKeyColumns = List.copyOf(foreignKeyColumns);
    mappedColumns = Collections.unmodifiableSet(new LinkedHashSet<>(mappedColumns));
    knownColumns = Collections.unmodifiableSet(new LinkedHashSet<>(knownColumns));
    excludedColumns = Set.copyOf(excludedColumns);
  }

  /**
   * An entity table. Its property columns are the mapping's {@code include} list, which a resolved mapping
   * ({@code MappingValidator}) always fills; without one only the key, tenant and foreign keys are checked.
   */
  static MappedTable entity(TableMapping table, String defaultSchema) {
    List<String> foreignKeys =
        table.relationships().stream().map(RelationshipMapping::column).filter(Objects::nonNull).toList();
    Set<String> mapped = new LinkedHashSet<>();
    mapped.add(table.key());
    if (table.tenantColumn() != null) {
      mapped.add(table.tenantColumn());
    }
    mapped.addAll(foreignKeys);
    mapped.addAll(table.include());
    mapped.removeAll(table.exclude());
    Set<String> known = new LinkedHashSet<>();
    if (!table.include().isEmpty()) {
      known.addAll(mapped);
      known.addAll(table.exclude());
      known.addAll(GraphMapping.SYNC_COLUMNS);
      known.addAll(GraphMapping.BACKFLOW_COLUMNS);
    }
    return new MappedTable(table.table(), qualify(table.table(), defaultSchema), table.label(),
        List.of(table.key()), table.tenantColumn(), foreignKeys, true, mapped, known, Set.copyOf(table.exclude()));
  }

  static MappedTable join(JoinTableMapping table, String defaultSchema) {
    Set<String> mapped = new LinkedHashSet<>(List.of(table.fromColumn(), table.toColumn()));
    if (table.tenantColumn() != null) {
      mapped.add(table.tenantColumn());
    }
    mapped.addAll(table.properties());
    Set<String> known = new LinkedHashSet<>(mapped);
    known.addAll(GraphMapping.SYNC_COLUMNS);
    known.addAll(GraphMapping.BACKFLOW_COLUMNS);
    return new MappedTable(table.table(), qualify(table.table(), defaultSchema), table.type(),
        List.of(table.fromColumn(), table.toColumn()), table.tenantColumn(), List.of(), false, mapped, known,
        Set.of());
  }

  /**
   * The columns a change keeps when its data is left out ({@code dataOmitted}): what identifies the row and places
   * it in the graph without its properties: the key, the tenant column, the foreign keys, and {@code pg_version}.
   */
  Set<String> retainedColumns() {
    Set<String> columns = new LinkedHashSet<>(keyColumns);
    if (tenantColumn != null) {
      columns.add(tenantColumn);
    }
    columns.addAll(foreignKeyColumns);
    if (versioned) {
      columns.add(VERSION_COLUMN);
    }
    return columns;
  }

  /**
   * The row as a change event carries it: the mapped columns and {@code pg_version} only, so that a column the
   * mapping leaves out (a password hash, a private note) never reaches Temporal's history. A mapping without
   * {@code include} (not resolved against the database) maps every column: then only the excluded and the other
   * bookkeeping columns are left out. Null for null.
   */
  Map<String, Object> carried(Map<String, Object> row) {
    if (row == null) {
      return null;
    }
    Map<String, Object> carried = new LinkedHashMap<>();
    row.forEach((column, value) -> {
      boolean kept = knownColumns.isEmpty()
          ? !excludedColumns.contains(column) && !GraphMapping.SYNC_COLUMNS.contains(column)
          : mappedColumns.contains(column);
      if (kept || (versioned && VERSION_COLUMN.equals(column))) {
        carried.put(column, value);
      }
    });
    return carried;
  }

  /** The row reduced to {@link #retainedColumns()} (those it has), in the row's order; null for null. */
  Map<String, Object> retained(Map<String, Object> row) {
    if (row == null) {
      return null;
    }
    Set<String> retained = retainedColumns();
    Map<String, Object> reduced = new LinkedHashMap<>();
    row.forEach((column, value) -> {
      if (retained.contains(column)) {
        reduced.put(column, value);
      }
    });
    return reduced;
  }

  static String qualify(String table, String defaultSchema) {
    return table.contains(".") ? table : defaultSchema + "." + table;
  }
}
