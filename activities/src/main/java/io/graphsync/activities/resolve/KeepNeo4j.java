package io.graphsync.activities.resolve;

import static io.graphsync.activities.postgres.SqlIdentifiers.qualified;
import static io.graphsync.activities.postgres.SqlIdentifiers.quote;

import io.graphsync.activities.mapping.Identifiers;
import io.graphsync.activities.postgres.PostgresFailures;
import io.graphsync.activities.postgres.RowReads;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.ConflictDecision;
import io.graphsync.workflows.resolve.RowUpdateResult;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KEEP_NEO4J: reads the node's current properties, and in one PostgreSQL transaction writes the mapped columns back
 * ({@link RowUpdate}) and records the decision ({@link DecisionAudit#insert}). The update is guarded by the
 * conflict's {@code pg_version}; the version trigger then bumps it and the capture syncs the change back to the graph,
 * where it rewrites the same values. A row whose version moved, a missing row, a missing or placeholder node, or a
 * join table return a rejection and change nothing. Retried after a commit whose answer was lost, it finds its own
 * audit record and returns what it did.
 */
final class KeepNeo4j {

  private static final Logger log = LoggerFactory.getLogger(KeepNeo4j.class);

  private final DataSource dataSource;
  private final Driver driver;
  private final SessionConfig sessionConfig;
  private final GraphMapping mapping;
  private final Map<String, RowUpdate> rowUpdates = new ConcurrentHashMap<>();

  KeepNeo4j(DataSource dataSource, Driver driver, SessionConfig sessionConfig, GraphMapping mapping) {
    this.dataSource = dataSource;
    this.driver = driver;
    this.sessionConfig = sessionConfig;
    this.mapping = mapping;
  }

  RowUpdateResult keepNeo4jValues(ConflictDecision decision) {
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
        Optional<RowUpdateResult> earlier = DecisionAudit.recorded(connection, decision);
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
        DecisionAudit.insert(connection, decision.withResult(changed, detail));
        connection.commit();
        log.info("conflict {}: KEEP_NEO4J by {}: {}", decision.workflowId(), decision.approval().by(), detail);
        return new RowUpdateResult(changed, null, version, detail);
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw PostgresFailures.failure("writing the node's values into " + table.table() + " " + conflict.entityId(),
          e);
    }
  }

  private static Long currentVersion(Connection connection, TableMapping table, String entityId)
      throws SQLException {
    return RowReads.readOne(connection, "SELECT pg_version FROM " + qualified(table.table()) + " WHERE "
        + quote(table.key()) + " = ?", List.of(entityId), row -> row.getLong(1)).orElse(null);
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

  private Optional<Map<String, Object>> node(String label, String id) {
    String cypher = "MATCH (n:" + Identifiers.quote(label) + " {id: $id}) RETURN properties(n) AS p";
    try (Session session = driver.session(sessionConfig)) {
      List<Record> records = session.executeRead(tx -> tx.run(cypher, Map.of("id", id)).list());
      return records.isEmpty() ? Optional.empty() : Optional.of(records.get(0).get("p").asMap());
    }
  }
}
