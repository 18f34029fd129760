package io.graphsync.activities.neo4j;

import static io.graphsync.activities.mapping.Identifiers.quote;

import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.sync.EntityKey;
import io.graphsync.workflows.sync.GraphReadActivities;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * Reads the order key the graph holds for one entity. Label and relationship type come from the validated mapping,
 * the key goes in as a parameter; nothing of the row's values is needed (they may be what failed).
 */
public class GraphReadActivitiesImpl implements GraphReadActivities {

  /** One table's read: a node by label (entity tables) or a relationship by type (join tables). */
  private record Target(String statement, String label, String relationshipType) {}

  private final Driver driver;
  private final SessionConfig sessionConfig;
  private final Map<String, Target> targets = new HashMap<>();

  /** @param neo4j the graph: driver and database */
  public GraphReadActivitiesImpl(Neo4jTarget neo4j, GraphMapping mapping) {
    this.driver = neo4j.driver();
    this.sessionConfig = neo4j.sessionConfig();
    Map<String, String> labels = new HashMap<>();
    for (TableMapping table : mapping.tables()) {
      labels.put(table.table(), table.label());
      targets.put(table.table(), new Target("""
          OPTIONAL MATCH (n:%1$s {id: $id})
          WITH max(n.syncPosition) AS node
          OPTIONAL MATCH (gone:%2$s {key: $tombstoneKey})
          RETURN coalesce(node, -1) AS applied, coalesce(gone.position, -1) AS deleted"""
          .formatted(quote(table.label()), CypherStatements.TOMBSTONE_LABEL), table.label(), null));
    }
    for (JoinTableMapping join : mapping.joinTables()) {
      targets.put(join.table(), new Target("""
          OPTIONAL MATCH (:%1$s {id: $fromId})-[r:%3$s]->(:%2$s {id: $toId})
          WITH max(r.syncPosition) AS relationship
          OPTIONAL MATCH (gone:%4$s {key: $tombstoneKey})
          RETURN coalesce(relationship, -1) AS applied, coalesce(gone.position, -1) AS deleted"""
          .formatted(quote(labels.get(join.fromTable())), quote(labels.get(join.toTable())), quote(join.type()),
              CypherStatements.TOMBSTONE_LABEL), null, join.type()));
    }
  }

  @Override
  public long appliedPosition(String table, String entityId) {
    Target target = targets.get(table);
    if (target == null) {
      throw GraphFailures.unmappedTable(table);
    }
    if (entityId == null || entityId.isEmpty()) {
      throw GraphFailures.invalidData("no key given for a row of " + table);
    }
    Map<String, Object> parameters = new HashMap<>();
    if (target.label() != null) {
      parameters.put("id", entityId);
      parameters.put("tombstoneKey", GraphMutation.nodeTombstoneKey(target.label(), entityId));
    } else {
      List<String> ids = EntityKey.parts(entityId);
      if (ids.size() != 2) {
        throw GraphFailures.invalidData("join-table key '" + entityId + "' of " + table + " is not <from>|<to>");
      }
      parameters.put("fromId", ids.get(0));
      parameters.put("toId", ids.get(1));
      parameters.put("tombstoneKey",
          GraphMutation.relationshipTombstoneKey(target.relationshipType(), ids.get(0), ids.get(1)));
    }
    try (Session session = driver.session(sessionConfig)) {
      Record row = session.executeRead(tx -> tx.run(target.statement(), parameters).single());
      return Math.max(row.get("applied").asLong(), row.get("deleted").asLong());
    }
  }
}
