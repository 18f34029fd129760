package io.graphsync.activities.mapping;

import io.graphsync.activities.postgres.SqlIdentifiers;
import io.graphsync.workflows.mapping.BackflowCase;
import io.graphsync.workflows.mapping.ConflictPolicy;
import io.graphsync.workflows.mapping.Conversion;
import io.graphsync.workflows.mapping.Direction;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.RelationshipMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Checks a {@link GraphMapping} against the live PostgreSQL schema and resolves it: every property column listed in
 * {@code include} (see {@link MappedColumns}), every property's {@link Conversion} filled from its column type when
 * the mapping names none, relationship targets spelled as the mapped table. Every problem found is reported
 * together in one {@link MappingException}.
 */
public final class MappingValidator {

  private final DataSource dataSource;

  public MappingValidator(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Returns the resolved mapping.
   *
   * @throws MappingException listing every problem, when the mapping does not fit the database
   * @throws IllegalStateException when the schema cannot be read
   */
  public GraphMapping validate(GraphMapping mapping) {
    try (Connection connection = dataSource.getConnection()) {
      return new Validation(mapping, new PostgresSchema(connection)).run();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the PostgreSQL schema to validate the mapping: " + e.getMessage(),
          e);
    }
  }

  /** One validation run: the mapping, the schema it is checked against, and the problems found so far. */
  private static final class Validation {

    private final GraphMapping mapping;
    private final PostgresSchema schema;
    private final List<String> errors = new ArrayList<>();
    /** Mapped entity tables by their name in the mapping and by their table oid. */
    private final Map<String, TableMapping> tablesByName = new HashMap<>();
    private final Map<Long, TableMapping> tablesByOid = new HashMap<>();

    Validation(GraphMapping mapping, PostgresSchema schema) {
      this.mapping = mapping;
      this.schema = schema;
    }

    GraphMapping run() throws SQLException {
      indexTables();
      List<TableMapping> tables = new ArrayList<>();
      for (TableMapping table : mapping.tables()) {
        resolve(table).ifPresent(tables::add);
      }
      List<JoinTableMapping> joinTables = new ArrayList<>();
      for (JoinTableMapping joinTable : mapping.joinTables()) {
        resolve(joinTable).ifPresent(joinTables::add);
      }
      checkDistinctRelationships(tables, joinTables);
      List<BackflowCase> backflow = new ArrayList<>();
      Set<String> caseNames = new HashSet<>();
      for (BackflowCase backflowCase : mapping.backflow()) {
        resolve(backflowCase, tables, joinTables).ifPresent(resolved -> {
          if (caseNames.add(resolved.name())) {
            backflow.add(resolved);
          } else {
            errors.add("backflow: '" + resolved.name() + "' is declared more than once");
          }
        });
      }
      if (!errors.isEmpty()) {
        throw new MappingException(errors);
      }
      return new GraphMapping(tables, joinTables, backflow);
    }

    /**
     * A back-flow case names exactly one mapped label or join-table type; its table has the back-flow columns; its
     * properties are mapped properties of that table; relationships cannot be MANUAL (a decision writes rows of
     * entity tables only).
     */
    private Optional<BackflowCase> resolve(BackflowCase backflowCase, List<TableMapping> tables,
        List<JoinTableMapping> joinTables) throws SQLException {
      if ((backflowCase.label() == null) == (backflowCase.type() == null)) {
        errors.add("backflow: a case names exactly one of 'label' (nodes) or 'type' (relationships), not "
            + (backflowCase.label() == null ? "neither" : "both"));
        return Optional.empty();
      }
      String where = "backflow '" + backflowCase.name() + "': ";
      String table;
      List<String> mappedProperties;
      if (backflowCase.relationship()) {
        List<JoinTableMapping> joins = joinTables.stream().filter(j -> backflowCase.type().equals(j.type())).toList();
        if (joins.size() != 1) {
          errors.add(where + (joins.isEmpty() ? "no join table of the mapping has type '" + backflowCase.type() + "'"
              : "several join tables have type '" + backflowCase.type() + "'"));
          return Optional.empty();
        }
        if (backflowCase.policy() == ConflictPolicy.MANUAL) {
          errors.add(where + "policy MANUAL is for nodes (a decision writes rows of entity tables): use POSTGRES_WINS "
              + "or NEO4J_WINS_IF_NEWER");
        }
        table = joins.get(0).table();
        mappedProperties = joins.get(0).properties();
      } else {
        Optional<TableMapping> entity = tables.stream().filter(t -> backflowCase.label().equals(t.label()))
            .findFirst();
        if (entity.isEmpty()) {
          errors.add(where + "no table of the mapping has label '" + backflowCase.label() + "'");
          return Optional.empty();
        }
        table = entity.get().table();
        mappedProperties = entity.get().include().stream()
            .map(column -> MappedColumns.propertyName(entity.get(), column)).toList();
      }
      for (String property : backflowCase.properties()) {
        if (!mappedProperties.contains(property)) {
          errors.add(where + "'" + property + "' is not a mapped property of table '" + table + "' (mapped: "
              + mappedProperties + ")");
        }
      }
      Optional<TableSchema> live = schema.table(table);
      if (live.isPresent()) {
        List<String> missing = GraphMapping.BACKFLOW_COLUMNS.stream().filter(c -> !live.get().hasColumn(c)).toList();
        if (!missing.isEmpty()) {
          errors.add(where + "table '" + table + "' lacks the back-flow columns " + missing
              + ": run SELECT graphsync.enable_backflow('" + table + "')");
        }
        List<String> written = writtenColumns(backflowCase, tables, joinTables);
        List<String> unwritten = schema.requiredColumns(live.get()).stream().filter(c -> !written.contains(c))
            .toList();
        if (!unwritten.isEmpty()) {
          errors.add(where + "table '" + table + "' has NOT NULL columns without a default that the back-flow "
              + "does not write " + unwritten + " (it writes " + written + "): every row born in the graph would be "
              + "refused; give them a default, make them nullable, or add their properties to the case's "
              + "'properties'");
        }
      }
      return Optional.of(backflowCase);
    }

    /**
     * The columns an INSERT of the case sets: the key (or the join's two columns), the tenant column, the mapped
     * columns of the case's properties (all mapped ones when it names none) and {@code sync_origin}.
     */
    private static List<String> writtenColumns(BackflowCase backflowCase, List<TableMapping> tables,
        List<JoinTableMapping> joinTables) {
      List<String> written = new ArrayList<>();
      if (backflowCase.relationship()) {
        JoinTableMapping join = joinTables.stream().filter(j -> backflowCase.type().equals(j.type())).findFirst()
            .orElseThrow();
        written.add(join.fromColumn());
        written.add(join.toColumn());
        if (join.tenantColumn() != null) {
          written.add(join.tenantColumn());
        }
        MappedColumns.of(join).forEach(column -> written.add(column.column()));
      } else {
        TableMapping entity = tables.stream().filter(t -> backflowCase.label().equals(t.label())).findFirst()
            .orElseThrow();
        written.add(entity.key());
        if (entity.tenantColumn() != null) {
          written.add(entity.tenantColumn());
        }
        MappedColumns.of(entity).stream()
            .filter(c -> backflowCase.properties().isEmpty() || backflowCase.properties().contains(c.property()))
            .forEach(column -> written.add(column.column()));
      }
      written.add("sync_origin");
      return written;
    }

    /** Finds duplicate tables and labels, and indexes the entity tables for relationship targets. */
    private void indexTables() throws SQLException {
      Set<Long> seenTables = new HashSet<>();
      Set<String> seenNames = new HashSet<>();
      Map<String, String> labels = new HashMap<>();
      List<String> names = new ArrayList<>();
      mapping.tables().forEach(t -> names.add(t.table()));
      mapping.joinTables().forEach(t -> names.add(t.table()));
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        if (name == null) {
          continue;
        }
        Optional<TableSchema> table = schema.table(name);
        boolean duplicate = table.isPresent() ? !seenTables.add(table.get().oid()) : !seenNames.add(name);
        if (duplicate) {
          errors.add("table '" + name + "' is mapped more than once");
        }
        if (i < mapping.tables().size()) {
          TableMapping entity = mapping.tables().get(i);
          tablesByName.putIfAbsent(name, entity);
          table.ifPresent(t -> tablesByOid.putIfAbsent(t.oid(), entity));
          String label = entity.label();
          if (label != null && labels.containsKey(label) && !duplicate) {
            errors.add("label '" + label + "' is used by both table '" + labels.get(label) + "' and table '" + name
                + "'");
          }
          if (label != null) {
            labels.putIfAbsent(label, name);
          }
        }
      }
    }

    private Optional<TableMapping> resolve(TableMapping table) throws SQLException {
      if (table.table() == null) {
        errors.add("a table mapping has no 'table'");
        return Optional.empty();
      }
      String where = "table '" + table.table() + "': ";
      requireIdentifier(where, "label", table.label());
      Optional<TableSchema> found = existingTable(table.table());
      if (found.isEmpty()) {
        return Optional.empty();
      }
      TableSchema live = found.get();
      checkKey(where, table, live);
      checkSyncColumns(table.table(), live);
      checkColumn(where, "tenantColumn", table.tenantColumn(), live);
      table.include().forEach(column -> checkColumn(where, "include", column, live));
      table.exclude().forEach(column -> checkColumn(where, "exclude", column, live));
      table.rename().keySet().forEach(column -> checkColumn(where, "rename", column, live));
      table.conversions().keySet().forEach(column -> checkColumn(where, "conversions", column, live));
      List<RelationshipMapping> relationships = new ArrayList<>();
      for (RelationshipMapping relationship : table.relationships()) {
        resolve(where, relationship, live).ifPresent(relationships::add);
      }

      List<String> propertyColumns = MappedColumns.propertyColumns(table, live.columnNames()).stream()
          .filter(live::hasColumn)
          .toList();
      Map<String, Conversion> conversions = resolveConversions(where, propertyColumns, table.conversions(), live,
          false);
      checkOnlyProperties(where, "rename", table.rename().keySet(), propertyColumns, live);
      checkPropertyNames(where, table, propertyColumns);
      return Optional.of(new TableMapping(table.table(), table.label(), table.key(), table.tenantColumn(),
          propertyColumns, table.exclude(), table.rename(), conversions, relationships));
    }

    private void checkKey(String where, TableMapping table, TableSchema live) {
      if (table.key() == null) {
        errors.add(where + "no 'key'");
      } else if (!live.hasColumn(table.key())) {
        errors.add(where + "unknown column '" + table.key() + "' in key");
      } else if (!live.primaryKey().equals(List.of(table.key()))) {
        errors.add(where + "key '" + table.key() + "' is not the table's primary key ("
            + (live.primaryKey().isEmpty() ? "it has none" : "primary key: " + live.primaryKey()) + ")");
      }
    }

    private void checkSyncColumns(String name, TableSchema live) {
      List<String> missing = GraphMapping.SYNC_COLUMNS.stream().filter(c -> !live.hasColumn(c)).toList();
      if (!missing.isEmpty()) {
        errors.add("table '" + name + "' lacks the sync columns " + missing + ": run SELECT graphsync.enable_sync('"
            + name + "')");
      } else if (!live.hasFullReplicaIdentity()) {
        errors.add("table '" + name + "' does not have REPLICA IDENTITY FULL: run SELECT graphsync.enable_sync('"
            + name + "')");
      }
    }

    private Optional<RelationshipMapping> resolve(String where, RelationshipMapping relationship, TableSchema live)
        throws SQLException {
      String what = where + "relationship " + (relationship.column() == null ? "" : "of column '"
          + relationship.column() + "' ");
      boolean ok = true;
      if (relationship.column() == null) {
        errors.add(where + "a relationship has no 'column'");
        ok = false;
      } else if (!live.hasColumn(relationship.column())) {
        errors.add(where + "unknown column '" + relationship.column() + "' in relationships");
        ok = false;
      }
      ok &= requireIdentifier(what, "type", relationship.type());
      if (relationship.direction() == null) {
        errors.add(what + "has no 'direction' (OUTGOING or INCOMING)");
        ok = false;
      }
      Optional<TableMapping> target = Optional.empty();
      if (relationship.target() == null) {
        errors.add(what + "has no 'target'");
      } else {
        target = mappedTable(relationship.target());
        if (target.isEmpty()) {
          errors.add(what + "targets table '" + relationship.target() + "', which is not a mapped table");
        }
      }
      if (!ok || target.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new RelationshipMapping(relationship.column(), target.get().table(), relationship.type(),
          relationship.direction()));
    }

    private Optional<JoinTableMapping> resolve(JoinTableMapping join) throws SQLException {
      if (join.table() == null) {
        errors.add("a join table mapping has no 'table'");
        return Optional.empty();
      }
      String where = "join table '" + join.table() + "': ";
      requireIdentifier(where, "type", join.type());
      Optional<TableMapping> from = joinEnd(where, "fromTable", join.fromTable());
      Optional<TableMapping> to = joinEnd(where, "toTable", join.toTable());
      Optional<TableSchema> found = existingTable(join.table());
      if (found.isEmpty()) {
        return Optional.empty();
      }
      TableSchema live = found.get();
      requireColumn(where, "fromColumn", join.fromColumn(), live);
      requireColumn(where, "toColumn", join.toColumn(), live);
      checkColumn(where, "tenantColumn", join.tenantColumn(), live);
      join.properties().forEach(column -> checkColumn(where, "properties", column, live));
      join.conversions().keySet().forEach(column -> checkColumn(where, "conversions", column, live));
      if (join.fromColumn() != null && join.toColumn() != null
          && !new HashSet<>(live.primaryKey()).equals(Set.of(join.fromColumn(), join.toColumn()))) {
        errors.add(where + "(" + join.fromColumn() + ", " + join.toColumn() + ") is not the table's primary key ("
            + (live.primaryKey().isEmpty() ? "it has none" : "primary key: " + live.primaryKey()) + ")");
      }
      if (!live.hasFullReplicaIdentity()) {
        errors.add("join table '" + join.table()
            + "' does not have REPLICA IDENTITY FULL: run SELECT graphsync.enable_join_sync('" + join.table() + "')");
      }
      for (String property : join.properties()) {
        if (ReservedProperties.RELATIONSHIP.contains(property)) {
          errors.add(where + "property '" + property + "' is written by graphsync itself; do not map column '"
              + property + "'");
        }
      }
      List<String> propertyColumns = join.properties().stream().filter(live::hasColumn).distinct().toList();
      Map<String, Conversion> conversions = resolveConversions(where, propertyColumns, join.conversions(), live,
          true);
      if (from.isEmpty() || to.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new JoinTableMapping(join.table(), join.fromColumn(), from.get().table(), join.toColumn(),
          to.get().table(), join.type(), join.tenantColumn(), propertyColumns, conversions));
    }

    private Optional<TableMapping> joinEnd(String where, String field, String table) throws SQLException {
      if (table == null) {
        errors.add(where + "no '" + field + "'");
        return Optional.empty();
      }
      Optional<TableMapping> mapped = mappedTable(table);
      if (mapped.isEmpty()) {
        errors.add(where + field + " '" + table + "' is not a mapped table");
      }
      return mapped;
    }

    /**
     * Each property's conversion: the mapping's, else the column type's default; conversions only for properties. A
     * type graphsync cannot convert, or a named conversion that does not fit the type (it could fail or corrupt values
     * at run time), is an error naming the column and the fix.
     */
    private Map<String, Conversion> resolveConversions(String where, List<String> propertyColumns,
        Map<String, Conversion> given, TableSchema live, boolean joinTable) {
      checkOnlyProperties(where, "conversions", given.keySet(), propertyColumns, live);
      Map<String, Conversion> conversions = new LinkedHashMap<>();
      for (String column : propertyColumns) {
        TableSchema.ColumnSchema type = live.column(column).orElseThrow();
        PostgresTypes.Support support = PostgresTypes.support(type);
        String typeName = type.isArray() ? type.elementTypeName() + "[]" : type.typeName();
        if (!support.supported()) {
          errors.add(where + "column '" + column + "' has type '" + typeName + "': " + support.refusal()
              + ". Exclude the column, or keep its text in a column of its own (e.g. set by a trigger to "
              + quoteIdent(column) + "::text) and map that");
          continue;
        }
        if (joinTable && "timetz".equals(type.typeName())) {
          errors.add(where + "column '" + column + "' has type 'timetz', whose offset a captured change cannot carry"
              + " (Debezium converts it to UTC) and a join row has no pg_version to re-read it by: exclude it, or map"
              + " a time or timestamptz column instead");
          continue;
        }
        Conversion conversion = given.get(column);
        if (conversion == null) {
          conversion = support.defaultConversion();
        } else if (!support.allowed().contains(conversion)) {
          errors.add(where + "column '" + column + "' has type '" + typeName + "', which conversion " + conversion
              + " does not fit (it would fail or change values at run time): use one of " + support.allowed()
              + ", or leave it out for the default (" + support.defaultConversion() + ")");
          continue;
        }
        conversions.put(column, conversion);
      }
      return conversions;
    }

    private static String quoteIdent(String column) {
      return Identifiers.isValid(column) ? column : SqlIdentifiers.quote(column);
    }

    /** Columns named under {@code field} that exist but are not properties (unknown ones are reported already). */
    private void checkOnlyProperties(String where, String field, Set<String> columns, List<String> propertyColumns,
        TableSchema live) {
      for (String column : columns) {
        if (live.hasColumn(column) && !propertyColumns.contains(column)) {
          errors.add(where + field + " names column '" + column + "', which is not mapped as a property"
              + " (excluded, the key, the tenant column, a relationship column or a sync column)");
        }
      }
    }

    private void checkPropertyNames(String where, TableMapping table, List<String> propertyColumns) {
      Map<String, String> columnByProperty = new HashMap<>();
      for (String column : propertyColumns) {
        String property = MappedColumns.propertyName(table, column);
        if (ReservedProperties.NODE.contains(property)) {
          errors.add(where + "column '" + column + "' would become property '" + property
              + "', which graphsync writes itself: rename or exclude it");
        }
        String other = columnByProperty.putIfAbsent(property, column);
        if (other != null) {
          errors.add(where + "columns '" + other + "' and '" + column + "' both become property '" + property + "'");
        }
      }
    }

    /**
     * Two relationships with one type between the same labels would overwrite each other: a foreign key replaces
     * every relationship of its type to the target label. Checked once everything else is valid.
     */
    private void checkDistinctRelationships(List<TableMapping> tables, List<JoinTableMapping> joinTables) {
      Map<String, String> owners = new HashMap<>();
      if (!errors.isEmpty()) {
        return;
      }
      for (TableMapping table : tables) {
        for (RelationshipMapping relationship : table.relationships()) {
          String targetLabel = tablesByName.get(relationship.target()).label();
          String pattern = relationship.direction() == Direction.OUTGOING
              ? pattern(table.label(), relationship.type(), targetLabel)
              : pattern(targetLabel, relationship.type(), table.label());
          claim(owners, pattern, "the relationship of column '" + relationship.column() + "' of table '"
              + table.table() + "'");
        }
      }
      for (JoinTableMapping join : joinTables) {
        String pattern = pattern(tablesByName.get(join.fromTable()).label(), join.type(),
            tablesByName.get(join.toTable()).label());
        claim(owners, pattern, "join table '" + join.table() + "'");
      }
    }

    private void claim(Map<String, String> owners, String pattern, String owner) {
      String other = owners.putIfAbsent(pattern, owner);
      if (other != null) {
        errors.add(other + " and " + owner + " both make " + pattern + ": give them distinct relationship types");
      }
    }

    private static String pattern(String from, String type, String to) {
      return "(:" + from + ")-[:" + type + "]->(:" + to + ")";
    }

    private Optional<TableMapping> mappedTable(String name) throws SQLException {
      TableMapping byName = tablesByName.get(name);
      if (byName != null) {
        return Optional.of(byName);
      }
      Optional<TableSchema> live = schema.table(name);
      return live.map(t -> tablesByOid.get(t.oid()));
    }

    private Optional<TableSchema> existingTable(String name) throws SQLException {
      Optional<TableSchema> live = schema.table(name);
      if (live.isEmpty()) {
        errors.add("unknown table '" + name + "'");
        return Optional.empty();
      }
      if (!live.get().isTable()) {
        errors.add("'" + name + "' is not a table (kind '" + live.get().kind() + "')");
        return Optional.empty();
      }
      return live;
    }

    private boolean requireIdentifier(String where, String field, String value) {
      if (value == null) {
        errors.add(where + "no '" + field + "'");
        return false;
      }
      if (!Identifiers.isValid(value)) {
        errors.add(where + field + " '" + value + "' is not a valid identifier ([A-Za-z_][A-Za-z0-9_]*)");
        return false;
      }
      return true;
    }

    private void requireColumn(String where, String field, String column, TableSchema live) {
      if (column == null) {
        errors.add(where + "no '" + field + "'");
      } else {
        checkColumn(where, field, column, live);
      }
    }

    private void checkColumn(String where, String field, String column, TableSchema live) {
      if (column != null && !live.hasColumn(column)) {
        errors.add(where + "unknown column '" + column + "' in " + field);
      }
    }
  }
}
