package io.graphsync.activities.backflow;

import static io.graphsync.activities.mapping.Identifiers.quote;

import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.backflow.GraphStampActivities;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * Stamps the element of a row the back-flow wrote, when the capture brings that row change back: key, version, order
 * key and sync time, never the properties, {@code neo4jVersion} or {@code neo4jModifiedAt}. Guarded by the order key
 * ({@code syncPosition}) like every graph write; an element that is gone is left gone (reconciliation reports the row).
 */
public class GraphStampActivitiesImpl implements GraphStampActivities {

  private final Driver driver;
  private final SessionConfig sessionConfig;
  private final GraphMapping mapping;

  /** @param database the Neo4j database, or null for the server's default */
  public GraphStampActivitiesImpl(Driver driver, GraphMapping mapping, String database) {
    this.driver = driver;
    this.sessionConfig = database == null ? SessionConfig.defaultConfig() : SessionConfig.forDatabase(database);
    this.mapping = mapping;
  }

  @Override
  public GraphApplyResult stampFromPostgres(ChangeEvent event) {
    String cypher;
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("position", event.position());
    parameters.put("tenantId", event.tenantId());
    Optional<TableMapping> entity = mapping.table(event.table());
    if (entity.isPresent()) {
      cypher = stampNode(entity.get().label());
      parameters.put("id", event.entityId());
      parameters.put("version", event.version());
    } else {
      JoinTableMapping join = mapping.joinTable(event.table()).orElseThrow(() ->
          ApplicationFailure.newNonRetryableFailure("table '" + event.table() + "' is not in the graph mapping",
              FailureType.UNMAPPED_TABLE.type()));
      int separator = event.entityId().indexOf('|');
      if (separator < 0) {
        throw ApplicationFailure.newNonRetryableFailure("'" + event.entityId() + "' is not a join-row key",
            FailureType.INVALID_DATA.type());
      }
      cypher = stampRelationship(label(join.fromTable()), join.type(), label(join.toTable()));
      parameters.put("from", event.entityId().substring(0, separator));
      parameters.put("to", event.entityId().substring(separator + 1));
    }
    List<Record> records;
    try (Session session = driver.session(sessionConfig)) {
      records = session.executeWrite(tx -> tx.run(cypher, parameters).list());
    }
    int attempt = Activity.getExecutionContext().getInfo().getAttempt();
    if (records.isEmpty()) {
      return new GraphApplyResult(false, null, attempt);
    }
    return new GraphApplyResult(true, entity.isPresent() ? records.get(0).get("elementId").asString() : null,
        attempt);
  }

  static String stampNode(String label) {
    return "MATCH (n:" + quote(label) + " {id: $id})\n"
        + "WHERE coalesce(n.syncPosition, -1) < $position\n"
        + "SET n.pgId = $id, n.pgVersion = $version, n.syncPosition = $position, n.lastSyncedAt = datetime(),\n"
        + "    n.tenantId = coalesce(n.tenantId, $tenantId)\n"
        + "RETURN elementId(n) AS elementId";
  }

  static String stampRelationship(String fromLabel, String type, String toLabel) {
    return "MATCH (a:" + quote(fromLabel) + " {id: $from})-[r:" + quote(type) + "]->(b:" + quote(toLabel)
        + " {id: $to})\n"
        + "WHERE coalesce(r.syncPosition, -1) < $position\n"
        + "SET r.syncPosition = $position, r.lastSyncedAt = datetime(), r.tenantId = coalesce(r.tenantId, $tenantId)\n"
        + "RETURN elementId(r) AS elementId";
  }

  private String label(String table) {
    return mapping.table(table).map(TableMapping::label).orElseThrow();
  }
}
