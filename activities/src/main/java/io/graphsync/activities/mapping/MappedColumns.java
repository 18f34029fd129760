package io.graphsync.activities.mapping;

import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.RelationshipMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which columns become which properties.
 *
 * <p>For an entity table: (include if non-empty, else all columns) minus exclude, minus
 * {@link GraphMapping#SYNC_COLUMNS}, minus the key, minus foreign-key columns that have a relationship, minus the
 * tenant column; each renamed by {@code rename}. In a <em>resolved</em> mapping (see {@link MappingValidator})
 * {@code include} lists exactly the property columns, so an empty {@code include} there means "no properties".
 */
public final class MappedColumns {

  private MappedColumns() {}

  /** The property columns of an entity table, in the order of {@code tableColumns}, given all of its columns. */
  public static List<String> propertyColumns(TableMapping mapping, List<String> tableColumns) {
    Set<String> never = nonPropertyColumns(mapping);
    List<String> candidates = mapping.include().isEmpty() ? tableColumns : mapping.include();
    List<String> properties = new ArrayList<>();
    for (String column : candidates) {
      if (!never.contains(column) && !mapping.exclude().contains(column) && !properties.contains(column)) {
        properties.add(column);
      }
    }
    return properties;
  }

  /**
   * Columns that are never properties: the sync and back-flow columns, the key, mapped foreign keys and the tenant
   * column.
   */
  public static Set<String> nonPropertyColumns(TableMapping mapping) {
    Set<String> never = new LinkedHashSet<>(GraphMapping.SYNC_COLUMNS);
    never.addAll(GraphMapping.BACKFLOW_COLUMNS);
    if (mapping.key() != null) {
      never.add(mapping.key());
    }
    if (mapping.tenantColumn() != null) {
      never.add(mapping.tenantColumn());
    }
    for (RelationshipMapping relationship : mapping.relationships()) {
      if (relationship.column() != null) {
        never.add(relationship.column());
      }
    }
    return never;
  }

  /** The property name of a column: its {@code rename}, else the column name. */
  public static String propertyName(TableMapping mapping, String column) {
    return mapping.rename().getOrDefault(column, column);
  }

  /**
   * The properties of a resolved entity-table mapping.
   *
   * @throws IllegalArgumentException when a property column has no conversion (the mapping was not resolved)
   */
  public static List<MappedColumn> of(TableMapping resolved) {
    List<MappedColumn> columns = new ArrayList<>();
    for (String column : propertyColumns(resolved, List.of())) {
      columns.add(new MappedColumn(column, propertyName(resolved, column),
          requireConversion(resolved.table(), column, resolved.conversions().get(column))));
    }
    return columns;
  }

  /**
   * The relationship properties of a resolved join-table mapping (columns keep their names).
   *
   * @throws IllegalArgumentException when a property column has no conversion (the mapping was not resolved)
   */
  public static List<MappedColumn> of(JoinTableMapping resolved) {
    List<MappedColumn> columns = new ArrayList<>();
    for (String column : resolved.properties()) {
      columns.add(new MappedColumn(column, column,
          requireConversion(resolved.table(), column, resolved.conversions().get(column))));
    }
    return columns;
  }

  private static <T> T requireConversion(String table, String column, T conversion) {
    if (conversion == null) {
      throw new IllegalArgumentException("the mapping of table '" + table + "' is not resolved: column '" + column
          + "' has no conversion (validate it with MappingValidator first)");
    }
    return conversion;
  }
}
