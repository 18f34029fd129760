package io.graphsync.activities.source;

import static io.graphsync.activities.postgres.SqlIdentifiers.qualified;
import static io.graphsync.activities.postgres.SqlIdentifiers.quote;

import io.graphsync.activities.mapping.MappedColumn;
import io.graphsync.activities.mapping.MappedColumns;
import io.graphsync.activities.postgres.PostgresFailures;
import io.graphsync.activities.postgres.RowReads;
import io.graphsync.activities.postgres.SqlIdentifiers;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.RelationshipMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.sync.EntityKey;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Reads one row of a mapped table from PostgreSQL by a change event's {@code entityId}, as the capture would have
 * put it into {@code ChangeEvent.data}: same column names, same value representation (see {@link CapturedValues}).
 * The graph writer uses it for a change whose data was left out ({@code ChangeEvent.dataOmitted}).
 *
 * <p>It reads only what the graph needs: the key, the tenant column, the foreign-key columns, the mapped property
 * columns and, for entity tables, {@code pg_version}. The SQL of each table is built once, from the validated
 * mapping only (quoted identifiers); the key is always a parameter, sent untyped so that PostgreSQL casts the text
 * to the key column's type (uuid, bigint, text, ...).
 *
 * <p>Failures: an entity id of a join table that is not two keys joined with {@code |} and an unmapped table are
 * non-retryable {@code ApplicationFailure}s ({@link FailureType#INVALID_DATA}, {@link FailureType#UNMAPPED_TABLE});
 * a database error is mapped by its SQLState ({@link PostgresFailures}: a key that is not valid for its column is
 * {@code InvalidData}, a mapped column dropped since validation {@code SchemaChanged}, anything transient an
 * {@link IllegalStateException} that Temporal retries).
 */
public final class SourceRowReader {

  private final DataSource dataSource;
  private final Map<String, TableQuery> queries;

  /**
   * @param dataSource the source database
   * @param mapping the mapping resolved by {@link io.graphsync.activities.mapping.MappingValidator}
   */
  public SourceRowReader(DataSource dataSource, GraphMapping mapping) {
    this.dataSource = dataSource;
    Map<String, TableQuery> byTable = new HashMap<>();
    for (TableMapping table : mapping.tables()) {
      byTable.put(table.table(), TableQuery.of(table));
    }
    for (JoinTableMapping join : mapping.joinTables()) {
      byTable.put(join.table(), TableQuery.of(join));
    }
    this.queries = Map.copyOf(byTable);
  }

  /**
   * The row of {@code table} whose key is {@code entityId}, or empty when there is none (it was deleted).
   *
   * @param table the table as the mapping names it ({@code ChangeEvent.table})
   * @param entityId the key as text; for a join table the two keys joined with {@code |}
   * @return column → value, in the capture's representation; null values included
   */
  public Optional<Map<String, Object>> read(String table, String entityId) {
    TableQuery query = queries.get(table);
    if (query == null) {
      throw ApplicationFailure.newNonRetryableFailure("table '" + table + "' is not in the graph mapping",
          FailureType.UNMAPPED_TABLE.type());
    }
    List<String> keys = query.keys(entityId);
    try (Connection connection = dataSource.getConnection()) {
      return RowReads.readOne(connection, query.sql(), keys, SourceRowReader::row);
    } catch (IllegalArgumentException | SQLException e) {
      throw readFailure(table, entityId, e);
    }
  }

  /**
   * The columns read of a mapped table, in order: the key column(s), the tenant column, the foreign keys, the mapped
   * properties, and {@code pg_version} for entity tables. For readers of many rows (a backfill's pages).
   */
  public List<String> columns(String table) {
    return query(table).columns();
  }

  /** The key column(s) of a mapped table: one for an entity table, {@code from} and {@code to} for a join table. */
  public List<String> keyColumns(String table) {
    return query(table).keyColumns();
  }

  private TableQuery query(String table) {
    TableQuery query = queries.get(table);
    if (query == null) {
      throw ApplicationFailure.newNonRetryableFailure("table '" + table + "' is not in the graph mapping",
          FailureType.UNMAPPED_TABLE.type());
    }
    return query;
  }

  /**
   * A row read under a row lock, with the position the write of it may take.
   *
   * @param row column → value, in the capture's representation
   * @param position {@code pg_current_wal_insert_lsn() - 1}, taken while the row was locked: every change of the row
   *     committed before the read is in {@code row}, and every later one is written to the WAL after this position
   */
  public record LockedRow(Map<String, Object> row, long position) {}

  /** How long a locked read waits for an open transaction that changed the row (then the activity retries). */
  static final String LOCK_TIMEOUT = "20s";

  /**
   * Like {@link #read}, but in one transaction that locks the row ({@code FOR SHARE}: it waits for an open
   * transaction that changed the row, then reads the committed row) and takes the WAL insert position while it holds
   * the lock. A write of the row at that position is never hidden by a change committed after the read: such a change
   * has a later position. For writes from a re-read of the row as it is now (reconciliation repairs, operator retries,
   * changes over the payload limit).
   */
  public Optional<LockedRow> readLocked(String table, String entityId) {
    TableQuery query = query(table);
    List<String> keys = query.keys(entityId);
    try (Connection connection = dataSource.getConnection()) {
      RowReads.Locked<Map<String, Object>> locked =
          RowReads.readLocked(connection, query.sql(), keys, LOCK_TIMEOUT, SourceRowReader::row);
      return locked.present().map(row -> new LockedRow(row, locked.position()));
    } catch (IllegalArgumentException | SQLException e) {
      throw readFailure(table, entityId, e);
    }
  }

  /**
   * A value graphsync does not support: non-retryable {@code InvalidData}; a database error as its SQLState says
   * ({@link PostgresFailures}: a key that is no key of the table is {@code InvalidData}, a dropped column
   * {@code SchemaChanged}, anything transient retried).
   */
  private static RuntimeException readFailure(String table, String entityId, Exception e) {
    if (e instanceof IllegalArgumentException) {
      return ApplicationFailure.newNonRetryableFailure("the row '" + entityId + "' of table '" + table
          + "' holds " + e.getMessage(), FailureType.INVALID_DATA.type());
    }
    return PostgresFailures.failure("reading the row '" + entityId + "' of table '" + table + "'", (SQLException) e);
  }

  /** The SELECT of one table (for tests and logs). */
  String sql(String table) {
    return queries.get(table).sql();
  }

  /**
   * The current row of {@code rows}, every column in the capture's representation (column name → value, nulls
   * included). Public for readers of many rows at once (reconciliation's pages).
   *
   * @throws IllegalArgumentException for a value graphsync does not support (a multi-dimensional array)
   */
  public static Map<String, Object> row(ResultSet rows) throws SQLException {
    ResultSetMetaData columns = rows.getMetaData();
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 1; i <= columns.getColumnCount(); i++) {
      row.put(columns.getColumnName(i), CapturedValues.read(rows, i, CapturedValues.typeName(columns, i),
          columns.getScale(i)));
    }
    return Collections.unmodifiableMap(row);
  }

  /** The SELECT of one table and how its key columns are bound. */
  private record TableQuery(String table, String sql, List<String> columns, List<String> keyColumns) {

    static TableQuery of(TableMapping table) {
      Set<String> columns = new LinkedHashSet<>();
      columns.add(table.key());
      addIfPresent(columns, table.tenantColumn());
      for (RelationshipMapping relationship : table.relationships()) {
        addIfPresent(columns, relationship.column());
      }
      for (MappedColumn column : MappedColumns.of(table)) {
        columns.add(column.column());
      }
      columns.add("pg_version");
      return new TableQuery(table.table(), select(table.table(), columns, List.of(table.key())),
          List.copyOf(columns), List.of(table.key()));
    }

    static TableQuery of(JoinTableMapping join) {
      Set<String> columns = new LinkedHashSet<>();
      columns.add(join.fromColumn());
      columns.add(join.toColumn());
      addIfPresent(columns, join.tenantColumn());
      for (MappedColumn column : MappedColumns.of(join)) {
        columns.add(column.column());
      }
      List<String> keys = List.of(join.fromColumn(), join.toColumn());
      return new TableQuery(join.table(), select(join.table(), columns, keys), List.copyOf(columns), keys);
    }

    /** The key values of {@code entityId}, one per key column. */
    List<String> keys(String entityId) {
      if (entityId == null || entityId.isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure("no entity id to read a row of table '" + table + "' by",
            FailureType.INVALID_DATA.type());
      }
      if (keyColumns.size() == 1) {
        return List.of(entityId);
      }
      List<String> parts = EntityKey.parts(entityId);
      if (parts.size() != keyColumns.size() || parts.stream().anyMatch(String::isEmpty)) {
        throw ApplicationFailure.newNonRetryableFailure("entity id '" + entityId + "' of join table '" + table
            + "' is not " + keyColumns.size() + " keys joined with '" + EntityKey.SEPARATOR + "' (" + keyColumns + ")",
            FailureType.INVALID_DATA.type());
      }
      return parts;
    }

    private static void addIfPresent(Set<String> columns, String column) {
      if (column != null) {
        columns.add(column);
      }
    }

    private static String select(String table, Set<String> columns, List<String> keys) {
      return "SELECT " + columns.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "))
          + " FROM " + qualified(table)
          + " WHERE " + keys.stream().map(key -> quote(key) + " = ?").collect(Collectors.joining(" AND "));
    }

  }
}
