package io.graphsync.activities.resolve;

import static io.graphsync.activities.postgres.SqlIdentifiers.qualified;
import static io.graphsync.activities.postgres.SqlIdentifiers.quote;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.graphsync.activities.mapping.Identifiers;
import io.graphsync.activities.mapping.MappedColumn;
import io.graphsync.activities.mapping.MappedColumns;
import io.graphsync.activities.postgres.PostgresFailures;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.ConflictDecision;
import io.graphsync.workflows.resolve.ResolutionActivities;
import io.graphsync.workflows.resolve.RowUpdateResult;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EntityKey;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The effects of a decision about a conflict, on the real stores.
 *
 * <p><b>KEEP_POSTGRES</b> ({@link #rewriteEventFromPostgres}): builds the change that the workflow hands to the sync's
 * own {@code applyToGraph} — an UPDATE with {@code dataOmitted=true}, so the graph writer re-reads the row as it is
 * when it writes, at PostgreSQL's current WAL position: the order guard lets it through, and every later change still
 * wins over it. Precisely: in one transaction it locks the row ({@code FOR SHARE}, which waits for any open
 * transaction that changed it) and takes {@code pg_current_wal_insert_lsn() - 1}: every change of the row that
 * committed lies before that position (the capture's positions are the LSNs of the change records), and every change
 * still to come lies after it. A row that is gone becomes a DELETE at that position.
 *
 * <p><b>KEEP_NEO4J</b> ({@link #keepNeo4jValues}): reads the node's current properties, and in one PostgreSQL
 * transaction writes the mapped columns back (renamed back from their property names; never the key, the tenant, the
 * foreign keys or the bookkeeping columns) and records the decision. Each value goes in as text with an explicit cast
 * to the column's own type as the catalog names it ({@code format_type}: {@code numeric(10,4)}, {@code text[]}, an
 * enum, ...); lists as {@code text[]} cast to the array type. The update is guarded by the conflict's
 * {@code pg_version} ({@code WHERE key = ? AND pg_version = ?}); the version trigger then bumps it and the capture
 * syncs the change back to the graph, where it rewrites the same values. A row whose version moved, a missing row, a
 * missing or placeholder node, or a join table return a rejection and change nothing. Retried after a commit whose
 * answer was lost, it finds its own audit record and returns what it did.
 *
 * <p><b>Audit</b>: one row per decision in {@code graphsync.conflict_audit}, unique by workflow id and first run id.
 *
 * <p>Failures: a value PostgreSQL refuses (SQLState class 22, a constraint of class 23) and a node property graphsync
 * cannot write back are non-retryable {@code InvalidData}; other database errors are retried by Temporal.
 */
public class ResolutionActivitiesImpl implements ResolutionActivities {

  private static final Logger log = LoggerFactory.getLogger(ResolutionActivitiesImpl.class);

  private static final ObjectMapper JSON = JsonMapper.builder()
      .findAndAddModules()
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();

  /**
   * Just below where the next WAL record will go: past every record written so far (each ends at or before the insert
   * position, so starts well before it), and before every record still to come.
   */
  private static final String WAL_POSITION = "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint - 1";

  private static final String COLUMN_TYPES = """
      SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typcategory
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped""";

  static final String AUDIT_INSERT = """
      INSERT INTO graphsync.conflict_audit (workflow_id, run_id, entity_table, entity_type, entity_id, tenant_id, kind,
          resolution, decided_by, comment, revision, pg_version, neo4j_version, postgres, neo4j, differences, applied,
          detail, decided_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), CAST(? AS jsonb), ?, ?, ?)
      ON CONFLICT ON CONSTRAINT conflict_audit_one_decision_per_workflow DO NOTHING""";

  private static final String AUDIT_FIND =
      "SELECT applied, detail FROM graphsync.conflict_audit WHERE workflow_id = ? AND run_id = ?";

  private final DataSource dataSource;
  private final Driver driver;
  private final SessionConfig sessionConfig;
  private final GraphMapping mapping;
  private final Map<String, RowLock> rowLocks;
  private final Map<String, RowUpdate> rowUpdates = new ConcurrentHashMap<>();

  /**
   * @param mapping the mapping resolved by {@link io.graphsync.activities.mapping.MappingValidator}
   * @param database the Neo4j database, or null for the server's default
   */
  public ResolutionActivitiesImpl(DataSource dataSource, Driver driver, GraphMapping mapping, String database) {
    this.dataSource = dataSource;
    this.driver = driver;
    this.sessionConfig = database == null ? SessionConfig.defaultConfig() : SessionConfig.forDatabase(database);
    this.mapping = mapping;
    Map<String, RowLock> locks = new HashMap<>();
    mapping.tables().forEach(table -> locks.put(table.table(), RowLock.of(table)));
    mapping.joinTables().forEach(join -> locks.put(join.table(), RowLock.of(join)));
    this.rowLocks = Map.copyOf(locks);
  }

  @Override
  public ChangeEvent rewriteEventFromPostgres(Conflict conflict) {
    RowLock lock = rowLocks.get(conflict.table());
    if (lock == null) {
      throw ApplicationFailure.newNonRetryableFailure("table '" + conflict.table() + "' is not in the graph mapping",
          FailureType.UNMAPPED_TABLE.type());
    }
    List<String> keys = lock.keys(conflict.entityId());
    boolean present;
    Long version = null;
    long position;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        // waits for every open transaction that changed the row, so each of their changes lies before the position
        try (PreparedStatement statement = connection.prepareStatement(lock.sql())) {
          for (int i = 0; i < keys.size(); i++) {
            // untyped, so PostgreSQL casts the text to the key column's type (uuid, bigint, ...)
            statement.setObject(i + 1, keys.get(i), Types.OTHER);
          }
          try (ResultSet row = statement.executeQuery()) {
            present = row.next();
            if (present && lock.versioned()) {
              version = row.getLong(1);
            }
          }
        }
        try (PreparedStatement statement = connection.prepareStatement(WAL_POSITION);
             ResultSet row = statement.executeQuery()) {
          row.next();
          position = row.getLong(1);
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw PostgresFailures.failure("reading the row '" + conflict.entityId() + "' of table '" + conflict.table()
          + "' and the WAL position", e);
    }
    EventType type = present ? EventType.UPDATE : EventType.DELETE;
    log.info("conflict {}: {} of {} {} from PostgreSQL at position {} (pg_version {})", conflict.workflowId(), type,
        conflict.table(), conflict.entityId(), position, version);
    return ChangeEvent.builder(EventSource.RECONCILIATION, type)
        .entity(conflict.table(), conflict.entityType(), conflict.entityId()).tenantId(conflict.tenantId())
        .correlationId(conflict.workflowId()).timestamp(Instant.now()).version(version).position(position)
        .dataOmitted(true).build();
  }

  @Override
  public RowUpdateResult keepNeo4jValues(ConflictDecision decision) {
    Conflict conflict = decision.conflict();
    Optional<TableMapping> mapped = mapping.table(conflict.table());
    if (mapped.isEmpty()) {
      if (mapping.joinTable(conflict.table()).isPresent()) {
        return RowUpdateResult.rejected("KEEP_NEO4J writes rows of entity tables; '" + conflict.table()
            + "' is a join table (a relationship): choose KEEP_POSTGRES or DISMISS");
      }
      throw ApplicationFailure.newNonRetryableFailure("table '" + conflict.table() + "' is not in the graph mapping",
          FailureType.UNMAPPED_TABLE.type());
    }
    TableMapping table = mapped.get();
    if (conflict.pgVersion() == null) {
      return RowUpdateResult.rejected("the conflict carries no pg_version to lock the row on");
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Optional<RowUpdateResult> earlier = recorded(connection, decision);
        if (earlier.isPresent()) {
          connection.commit();
          log.info("conflict {}: KEEP_NEO4J already recorded (a retried activity): {}", decision.workflowId(),
              earlier.get().detail());
          return earlier.get();
        }
        Optional<Map<String, Object>> node = node(table.label(), conflict.entityId());
        if (node.isEmpty()) {
          connection.rollback();
          return RowUpdateResult.rejected("the node " + table.label() + " " + conflict.entityId()
              + " is gone from the graph: there are no Neo4j values to keep (choose KEEP_POSTGRES or DISMISS)");
        }
        if (Boolean.TRUE.equals(node.get().get("placeholder"))) {
          connection.rollback();
          return RowUpdateResult.rejected("the node " + table.label() + " " + conflict.entityId()
              + " is a placeholder (its row never reached the graph): there are no Neo4j values to keep");
        }
        RowUpdate update = rowUpdate(connection, table);
        Long version = update.run(connection, node.get(), conflict.entityId(), conflict.pgVersion());
        if (version == null) {
          Long current = currentVersion(connection, table, conflict.entityId());
          connection.rollback();
          return RowUpdateResult.rejected(current == null
              ? "the row is gone from PostgreSQL: there is no row to write the node's values into"
              : "stale: the row changed since the conflict was found (pg_version " + conflict.pgVersion()
                  + " expected, " + current + " now); the change syncs to the graph, and reconciliation reports "
                  + "the conflict again if it remains");
        }
        boolean changed = version.longValue() != conflict.pgVersion();
        String detail = changed
            ? table.table() + " row " + conflict.entityId() + " updated from the node: pg_version "
                + conflict.pgVersion() + " -> " + version + " (" + update.columnList() + ")"
            : table.table() + " row " + conflict.entityId() + " already held the node's values (pg_version "
                + version + " unchanged)";
        insertAudit(connection, decision.withResult(changed, detail));
        connection.commit();
        log.info("conflict {}: KEEP_NEO4J by {}: {}", decision.workflowId(), decision.approval().by(), detail);
        return new RowUpdateResult(changed, null, version, detail);
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw PostgresFailures.failure("writing the node's values into " + table.table() + " " + conflict.entityId(), e);
    }
  }

  @Override
  public void recordConflictDecision(ConflictDecision decision) {
    try (Connection connection = dataSource.getConnection()) {
      int inserted = insertAudit(connection, decision);
      log.info("conflict {}: {} by {} {}", decision.workflowId(), decision.approval().resolution(),
          decision.approval().by(), inserted == 1 ? "recorded" : "was already recorded");
    } catch (SQLException e) {
      throw PostgresFailures.failure("recording the decision of " + decision.workflowId(), e);
    }
  }

  // --- PostgreSQL ---------------------------------------------------------------------------------------------

  private static Optional<RowUpdateResult> recorded(Connection connection, ConflictDecision decision)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(AUDIT_FIND)) {
      statement.setString(1, decision.workflowId());
      statement.setString(2, decision.runId());
      try (ResultSet row = statement.executeQuery()) {
        return row.next()
            ? Optional.of(new RowUpdateResult(row.getBoolean(1), null, null, row.getString(2)))
            : Optional.empty();
      }
    }
  }

  private static int insertAudit(Connection connection, ConflictDecision decision) throws SQLException {
    Conflict conflict = decision.conflict();
    try (PreparedStatement statement = connection.prepareStatement(AUDIT_INSERT)) {
      statement.setString(1, decision.workflowId());
      statement.setString(2, decision.runId());
      statement.setString(3, conflict.table());
      statement.setString(4, conflict.entityType());
      statement.setString(5, conflict.entityId());
      statement.setString(6, conflict.tenantId());
      statement.setString(7, conflict.kind());
      statement.setString(8, decision.approval().resolution().name());
      statement.setString(9, decision.approval().by());
      statement.setString(10, decision.approval().comment());
      statement.setInt(11, decision.revision());
      statement.setObject(12, conflict.pgVersion(), Types.BIGINT);
      statement.setObject(13, conflict.neo4jVersion(), Types.BIGINT);
      statement.setString(14, json(conflict.postgres()));
      statement.setString(15, json(conflict.neo4j()));
      statement.setString(16, json(conflict.differences()));
      statement.setBoolean(17, decision.applied());
      statement.setString(18, decision.detail());
      statement.setObject(19, (decision.decidedAt() == null ? Instant.now() : decision.decidedAt())
          .atOffset(ZoneOffset.UTC));
      return statement.executeUpdate();
    }
  }

  private static Long currentVersion(Connection connection, TableMapping table, String entityId)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT pg_version FROM "
        + qualified(table.table()) + " WHERE " + quote(table.key()) + " = ?")) {
      statement.setObject(1, entityId, Types.OTHER);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? row.getLong(1) : null;
      }
    }
  }

  /** The guarded UPDATE of one table, built once from the mapping and the catalog's column types. */
  private RowUpdate rowUpdate(Connection connection, TableMapping table) throws SQLException {
    RowUpdate update = rowUpdates.get(table.table());
    if (update == null) {
      update = RowUpdate.of(connection, table);
      rowUpdates.put(table.table(), update);
    }
    return update;
  }

  /** {@code SELECT ... FOR SHARE} of one row by its key (entity tables: also its {@code pg_version}). */
  private record RowLock(String table, String sql, List<String> keyColumns, boolean versioned) {

    static RowLock of(TableMapping table) {
      return new RowLock(table.table(), "SELECT pg_version FROM " + qualified(table.table()) + " WHERE "
          + quote(table.key()) + " = ? FOR SHARE", List.of(table.key()), true);
    }

    static RowLock of(JoinTableMapping join) {
      return new RowLock(join.table(), "SELECT 1 FROM " + qualified(join.table()) + " WHERE "
          + quote(join.fromColumn()) + " = ? AND " + quote(join.toColumn()) + " = ? FOR SHARE",
          List.of(join.fromColumn(), join.toColumn()), false);
    }

    /** The key values of {@code entityId}: the key, or the two keys of a join-table row joined with {@code |}. */
    List<String> keys(String entityId) {
      List<String> keys = keyColumns.size() == 1 || entityId == null ? List.of(String.valueOf(entityId))
          : EntityKey.parts(entityId);
      if (entityId == null || keys.size() != keyColumns.size() || keys.stream().anyMatch(String::isEmpty)) {
        throw ApplicationFailure.newNonRetryableFailure("entity id '" + entityId + "' is not a key of table '" + table
            + "' (" + String.join(", ", keyColumns) + ")", FailureType.INVALID_DATA.type());
      }
      return keys;
    }
  }

  /**
   * One column written back: its property, its SQL type as the catalog names it, and whether it is an array.
   */
  private record ColumnWrite(MappedColumn column, String sqlType, boolean array) {}

  private record RowUpdate(String table, String sql, List<ColumnWrite> columns) {

    static RowUpdate of(Connection connection, TableMapping table) throws SQLException {
      Map<String, String[]> types = new HashMap<>();
      try (PreparedStatement statement = connection.prepareStatement(COLUMN_TYPES)) {
        statement.setString(1, table.table());
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            types.put(rows.getString(1), new String[] {rows.getString(2), rows.getString(3)});
          }
        }
      }
      List<ColumnWrite> columns = new ArrayList<>();
      List<String> assignments = new ArrayList<>();
      for (MappedColumn column : MappedColumns.of(table)) {
        String[] type = types.get(column.column());
        if (type == null) {
          throw ApplicationFailure.newNonRetryableFailure("column '" + column.column() + "' of '" + table.table()
              + "' is not in the database (the mapping no longer fits the schema)", FailureType.INVALID_DATA.type());
        }
        boolean array = "A".equals(type[1]);
        columns.add(new ColumnWrite(column, type[0], array));
        assignments.add(quote(column.column()) + " = CAST(CAST(? AS " + (array ? "text[]" : "text") + ") AS "
            + type[0] + ")");
      }
      if (columns.isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure("table '" + table.table() + "' maps no property columns: "
            + "there is nothing to write back", FailureType.INVALID_DATA.type());
      }
      String sql = "UPDATE " + qualified(table.table()) + " SET " + String.join(", ", assignments)
          + " WHERE " + quote(table.key()) + " = ? AND pg_version = ? RETURNING pg_version";
      return new RowUpdate(table.table(), sql, List.copyOf(columns));
    }

    /** The new {@code pg_version}, or null when no row has that key and version. */
    Long run(Connection connection, Map<String, Object> node, String entityId, long expectedVersion)
        throws SQLException {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        int index = 1;
        for (ColumnWrite write : columns) {
          Object value = node.get(write.column().property());
          try {
            if (write.array()) {
              String[] elements = GraphValues.array(value);
              statement.setArray(index++, elements == null ? null : connection.createArrayOf("text", elements));
            } else {
              statement.setString(index++, GraphValues.text(value));
            }
          } catch (IllegalArgumentException e) {
            throw ApplicationFailure.newNonRetryableFailure("node property '" + write.column().property()
                + "' cannot be written into " + table + "." + write.column().column() + ": it holds "
                + e.getMessage(), FailureType.INVALID_DATA.type());
          }
        }
        // untyped, so PostgreSQL casts the text to the key column's type (uuid, bigint, ...)
        statement.setObject(index++, entityId, Types.OTHER);
        statement.setLong(index, expectedVersion);
        try (ResultSet row = statement.executeQuery()) {
          return row.next() ? row.getLong(1) : null;
        }
      }
    }

    String columnList() {
      return columns.stream().map(write -> write.column().column()).collect(Collectors.joining(", "));
    }
  }

  // --- Neo4j --------------------------------------------------------------------------------------------------

  private Optional<Map<String, Object>> node(String label, String id) {
    String cypher = "MATCH (n:" + Identifiers.quote(label) + " {id: $id}) RETURN properties(n) AS p";
    try (Session session = driver.session(sessionConfig)) {
      List<Record> records = session.executeRead(tx -> tx.run(cypher, Map.of("id", id)).list());
      return records.isEmpty() ? Optional.empty() : Optional.of(records.get(0).get("p").asMap());
    }
  }

  // --- helpers ------------------------------------------------------------------------------------------------

  private static String json(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw ApplicationFailure.newNonRetryableFailure("cannot write the conflict as JSON: " + e.getOriginalMessage(),
          FailureType.INVALID_DATA.type());
    }
  }


}
