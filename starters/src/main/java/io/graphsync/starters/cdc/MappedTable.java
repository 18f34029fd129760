package io.graphsync.starters.cdc;

import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.util.List;

/**
 * What the capture needs to know about one mapped table, entity or join table alike.
 *
 * @param name the table as the mapping names it; becomes {@code ChangeEvent.table}
 * @param qualifiedName {@code schema.table}, as Debezium reports it
 * @param entityType the node label, or the relationship type of a join table
 * @param keyColumns the key: one column for entity tables, {@code from} and {@code to} for join tables
 * @param tenantColumn the column holding the tenant id, or null
 * @param versioned whether rows carry {@code pg_version} and the sync bookkeeping columns
 */
record MappedTable(
    String name, String qualifiedName, String entityType, List<String> keyColumns, String tenantColumn,
    boolean versioned) {

  /** Separates the parts of a composite key in {@code entityId}. */
  static final String KEY_SEPARATOR = "|";

  static MappedTable entity(TableMapping table, String defaultSchema) {
    return new MappedTable(table.table(), qualify(table.table(), defaultSchema), table.label(),
        List.of(table.key()), table.tenantColumn(), true);
  }

  static MappedTable join(JoinTableMapping table, String defaultSchema) {
    return new MappedTable(table.table(), qualify(table.table(), defaultSchema), table.type(),
        List.of(table.fromColumn(), table.toColumn()), table.tenantColumn(), false);
  }

  static String qualify(String table, String defaultSchema) {
    return table.contains(".") ? table : defaultSchema + "." + table;
  }
}
