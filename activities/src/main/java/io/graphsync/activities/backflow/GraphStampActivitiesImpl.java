package io.graphsync.activities.backflow;

import static io.graphsync.activities.mapping.Identifiers.quote;

import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.backflow.GraphStampActivities;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.graphsync.workflows.sync.GraphWriteActivities;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graph side of a row change the back-flow wrote ({@code sync_origin = 'neo4j:<N>'}), when the capture brings it
 * back. When the element was edited in the graph again since the back-flow read it ({@code neo4jVersion > N}), only
 * the bookkeeping is stamped — key, version, order key, sync time; never the properties, {@code neo4jVersion} or
 * {@code neo4jModifiedAt} — so the newer edit is not overwritten by the echo of an older one and flows back itself.
 * Otherwise the element holds the row's values already (or an older PostgreSQL change overwrote them in between), and
 * the change is applied as any other, by the sync's own {@code applyToGraph}. Either way nothing bumps
 * {@code neo4jVersion}: the echo never starts a new back-flow. Guarded by the order key ({@code syncPosition}) like
 * every graph write.
 *
 * <p>The hold of a node whose back-flow conflict waits for a person: {@code backflowHold} = the conflict's workflow
 * id, honoured by {@link PendingEditGuard}, set by the back-flow before it escalates and removed by the decision.
 */
public class GraphStampActivitiesImpl implements GraphStampActivities {

  private static final Logger log = LoggerFactory.getLogger(GraphStampActivitiesImpl.class);

  /** The node property that holds a node for an open manual conflict (its value: the conflict's workflow id). */
  public static final String HOLD = "backflowHold";

  private final Driver driver;
  private final SessionConfig sessionConfig;
  private final GraphMapping mapping;
  private final GraphWriteActivities graphWrites;

  /**
   * @param graphWrites the sync's graph writer, for an echo that is applied as any other change
   */
  public GraphStampActivitiesImpl(Neo4jTarget neo4j, GraphMapping mapping, GraphWriteActivities graphWrites) {
    this.driver = neo4j.driver();
    this.sessionConfig = neo4j.sessionConfig();
    this.mapping = mapping;
    this.graphWrites = graphWrites;
  }

  /** The {@code neo4jVersion} the back-flow wrote the row from, or null when the event does not say. */
  static Long originVersion(ChangeEvent event) {
    Object origin = event.data() == null ? null : event.data().get("sync_origin");
    if (origin instanceof String text && text.startsWith(GraphMapping.NEO4J_ORIGIN_PREFIX)) {
      try {
        return Long.parseLong(text.substring(GraphMapping.NEO4J_ORIGIN_PREFIX.length()));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  @Override
  public GraphApplyResult stampFromPostgres(ChangeEvent event) {
    Long origin = originVersion(event);
    if (origin == null || event.eventType() == EventType.DELETE) {
      return graphWrites.applyToGraph(event);
    }
    String cypher;
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("origin", origin);
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
    if (records.isEmpty()) {
      // no newer graph edit (or the element is gone): the change is applied as any other
      return graphWrites.applyToGraph(event);
    }
    int attempt = Activity.getExecutionContext().getInfo().getAttempt();
    return new GraphApplyResult(records.get(0).get("stamped").asBoolean(),
        entity.isPresent() ? records.get(0).get("elementId").asString() : null, attempt);
  }

  static String stampNode(String label) {
    return "MATCH (n:" + quote(label) + " {id: $id})\n"
        + "WHERE n.neo4jVersion > $origin\n"
        + "WITH n, coalesce(n.syncPosition, -1) < $position AS fresh\n"
        + "FOREACH (x IN CASE WHEN fresh THEN [1] ELSE [] END |\n"
        + "  SET n.pgId = $id, n.pgVersion = $version, n.syncPosition = $position, n.lastSyncedAt = datetime(),\n"
        + "      n.tenantId = coalesce(n.tenantId, $tenantId))\n"
        + "RETURN elementId(n) AS elementId, fresh AS stamped";
  }

  static String stampRelationship(String fromLabel, String type, String toLabel) {
    return "MATCH (a:" + quote(fromLabel) + " {id: $from})-[r:" + quote(type) + "]->(b:" + quote(toLabel)
        + " {id: $to})\n"
        + "WHERE r.neo4jVersion > $origin\n"
        + "WITH r, coalesce(r.syncPosition, -1) < $position AS fresh\n"
        + "FOREACH (x IN CASE WHEN fresh THEN [1] ELSE [] END |\n"
        + "  SET r.syncPosition = $position, r.lastSyncedAt = datetime(),\n"
        + "      r.tenantId = coalesce(r.tenantId, $tenantId))\n"
        + "RETURN elementId(r) AS elementId, fresh AS stamped";
  }

  private String label(String table) {
    return mapping.table(table).map(TableMapping::label).orElseThrow();
  }

  @Override
  public void holdForDecision(Conflict conflict) {
    Optional<TableMapping> entity = mapping.table(conflict.table());
    if (entity.isEmpty()) {
      return; // a relationship (MANUAL is for nodes only) or an unmapped table: nothing to hold
    }
    List<Record> records = write(holdNode(entity.get().label()),
        Map.of("id", conflict.entityId(), "hold", conflict.workflowId()));
    log.info("{} {} held for the decision of {}{}", entity.get().label(), conflict.entityId(), conflict.workflowId(),
        records.isEmpty() ? " (the node is gone: nothing held)" : "");
  }

  @Override
  public boolean releaseHold(Conflict conflict) {
    Optional<TableMapping> entity = mapping.table(conflict.table());
    if (entity.isEmpty()) {
      return false;
    }
    List<Record> records = write(releaseNode(entity.get().label()), Map.of("id", conflict.entityId()));
    boolean held = !records.isEmpty() && records.get(0).get("held").asBoolean(false);
    if (held) {
      log.info("{} {} released by the decision of {}", entity.get().label(), conflict.entityId(),
          conflict.workflowId());
    }
    return held;
  }

  static String holdNode(String label) {
    return "MATCH (n:" + quote(label) + " {id: $id})\n"
        + "SET n." + HOLD + " = $hold\n"
        + "RETURN elementId(n) AS elementId";
  }

  static String releaseNode(String label) {
    return "MATCH (n:" + quote(label) + " {id: $id})\n"
        + "WITH n, n." + HOLD + " IS NOT NULL AS held\n"
        + "REMOVE n." + HOLD + "\n"
        + "RETURN held";
  }

  private List<Record> write(String cypher, Map<String, Object> parameters) {
    try (Session session = driver.session(sessionConfig)) {
      return session.executeWrite(tx -> tx.run(cypher, parameters).list());
    }
  }
}
