package io.graphsync.activities.resolve;

import static io.graphsync.activities.postgres.SqlIdentifiers.qualified;
import static io.graphsync.activities.postgres.SqlIdentifiers.quote;

import io.graphsync.activities.postgres.PostgresFailures;
import io.graphsync.activities.postgres.RowReads;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EntityKey;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KEEP_POSTGRES: builds the change that the workflow hands to the sync's own {@code applyToGraph} — an UPDATE with
 * {@code dataOmitted=true}, so the graph writer re-reads the row as it is when it writes, at PostgreSQL's current WAL
 * position: the order guard lets it through, and every later change still wins over it. Precisely: in one
 * transaction it locks the row ({@code FOR SHARE}, which waits for any open transaction that changed it) and takes
 * {@code pg_current_wal_insert_lsn() - 1}: every change of the row that committed lies before that position (the
 * capture's positions are the LSNs of the change records), and every change still to come lies after it. A row that
 * is gone becomes a DELETE at that position.
 */
final class KeepPostgres {

  private static final Logger log = LoggerFactory.getLogger(KeepPostgres.class);

  private final DataSource dataSource;
  private final Map<String, RowLock> rowLocks;

  KeepPostgres(DataSource dataSource, GraphMapping mapping) {
    this.dataSource = dataSource;
    Map<String, RowLock> locks = new HashMap<>();
    mapping.tables().forEach(table -> locks.put(table.table(), RowLock.of(table)));
    mapping.joinTables().forEach(join -> locks.put(join.table(), RowLock.of(join)));
    this.rowLocks = Map.copyOf(locks);
  }

  ChangeEvent rewriteEventFromPostgres(Conflict conflict) {
    RowLock lock = rowLocks.get(conflict.table());
    if (lock == null) {
      throw ApplicationFailure.newNonRetryableFailure("table '" + conflict.table() + "' is not in the graph mapping",
          FailureType.UNMAPPED_TABLE.type());
    }
    List<String> keys = lock.keys(conflict.entityId());
    RowReads.Locked<Found> locked;
    try (Connection connection = dataSource.getConnection()) {
      // no lock timeout: waits for every open transaction that changed the row, so each of their changes lies before
      // the position
      locked = RowReads.readLocked(connection, lock.sql(), keys, null,
          row -> new Found(lock.versioned() ? row.getLong(1) : null));
    } catch (SQLException e) {
      throw PostgresFailures.failure("reading the row '" + conflict.entityId() + "' of table '" + conflict.table()
          + "' and the WAL position", e);
    }
    boolean present = locked.row() != null;
    Long version = present ? locked.row().version() : null;
    long position = locked.position();
    EventType type = present ? EventType.UPDATE : EventType.DELETE;
    log.info("conflict {}: {} of {} {} from PostgreSQL at position {} (pg_version {})", conflict.workflowId(), type,
        conflict.table(), conflict.entityId(), position, version);
    return ChangeEvent.builder(EventSource.RECONCILIATION, type)
        .entity(conflict.table(), conflict.entityType(), conflict.entityId()).tenantId(conflict.tenantId())
        .correlationId(conflict.workflowId()).timestamp(Instant.now()).version(version).position(position)
        .dataOmitted(true).build();
  }

  /** The row was there; its {@code pg_version} for an entity table, null for a join table. */
  private record Found(Long version) {}

  /** {@code SELECT ...} of one row by its key (entity tables: its {@code pg_version}), to run {@code FOR SHARE}. */
  private record RowLock(String table, String sql, List<String> keyColumns, boolean versioned) {

    static RowLock of(TableMapping table) {
      return new RowLock(table.table(), "SELECT pg_version FROM " + qualified(table.table()) + " WHERE "
          + quote(table.key()) + " = ?", List.of(table.key()), true);
    }

    static RowLock of(JoinTableMapping join) {
      return new RowLock(join.table(), "SELECT 1 FROM " + qualified(join.table()) + " WHERE "
          + quote(join.fromColumn()) + " = ? AND " + quote(join.toColumn()) + " = ?",
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
}
