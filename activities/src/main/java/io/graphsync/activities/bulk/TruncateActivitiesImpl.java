package io.graphsync.activities.bulk;

import static io.graphsync.activities.mapping.Identifiers.quote;

import io.graphsync.activities.neo4j.CypherStatements;
import io.graphsync.activities.neo4j.MutationPlanner;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.bulk.Truncate;
import io.graphsync.workflows.bulk.TruncateActivities;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.Optional;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;

/**
 * Deletes, a batch per transaction, the graph elements of a truncated table that came from changes before the
 * truncate, leaving the same tombstones a DELETE leaves ({@code Label:id}, {@code TYPE:from|to}) at the truncate's
 * position. Labels and types come from the validated mapping only.
 */
public class TruncateActivitiesImpl implements TruncateActivities {

  /**
   * Nodes synced before the truncate, and placeholders (not yet kept by an earlier run of this statement: those
   * carry a tombstone at or after the truncate). A node that a relationship written after the truncate reaches (a
   * join row or foreign key of a row inserted again since) stays, emptied to a placeholder, as a delete leaves it
   * ({@link CypherStatements#keepHeld}). Returns the nodes it deleted or emptied.
   */
  private static final String NODES = """
      MATCH (n:%1$s)
      WHERE ((n.syncPosition IS NOT NULL AND n.syncPosition < $position) OR n.placeholder = true)
        AND NOT EXISTS { MATCH (earlier:%2$s {key: $prefix + n.id})
                         WHERE n.placeholder = true AND earlier.position >= $position }
      WITH n LIMIT $limit
      WITH n, true AS truncating
      %3$sMERGE (gone:%2$s {key: $prefix + n.id})
      SET gone.position = CASE WHEN coalesce(gone.position, -1) < $position THEN $position ELSE gone.position END,
          gone.deletedAt = datetime()
      WITH n, kept
      FOREACH (doomed IN CASE WHEN kept THEN [] ELSE [n] END | DETACH DELETE doomed)
      RETURN count(*) AS deleted""";

  private static final String RELATIONSHIPS = """
      MATCH (a)-[r:%1$s]->(b)
      WHERE r.syncPosition IS NOT NULL AND r.syncPosition < $position
      WITH a, b, r LIMIT $limit
      MERGE (gone:%2$s {key: $prefix + a.id + '|' + b.id})
      SET gone.position = CASE WHEN coalesce(gone.position, -1) < $position THEN $position ELSE gone.position END,
          gone.deletedAt = datetime()
      DELETE r
      RETURN count(*) AS deleted""";

  private final Driver driver;
  private final GraphMapping mapping;
  private final MutationPlanner planner;
  private final SessionConfig sessionConfig;

  /**
   * @param mapping the mapping resolved by {@link io.graphsync.activities.mapping.MappingValidator}
   * @param neo4j the graph: driver and database
   */
  public TruncateActivitiesImpl(Neo4jTarget neo4j, GraphMapping mapping) {
    this.driver = neo4j.driver();
    this.mapping = mapping;
    this.planner = new MutationPlanner(mapping);
    this.sessionConfig = neo4j.sessionConfig();
  }

  @Override
  public int deleteTruncated(Truncate truncate, int limit) {
    Optional<TableMapping> entity = mapping.table(truncate.table());
    Optional<JoinTableMapping> join = mapping.joinTable(truncate.table());
    String text;
    String prefix;
    if (entity.isPresent()) {
      text = NODES.formatted(quote(entity.get().label()), CypherStatements.TOMBSTONE_LABEL,
          CypherStatements.keepHeld(planner.heldRelationships(entity.get().label()), "truncating"));
      prefix = entity.get().label() + ":";
    } else if (join.isPresent()) {
      text = RELATIONSHIPS.formatted(quote(join.get().type()), CypherStatements.TOMBSTONE_LABEL);
      prefix = join.get().type() + ":";
    } else {
      throw ApplicationFailure.newNonRetryableFailure("table '" + truncate.table() + "' is not in the graph mapping",
          FailureType.UNMAPPED_TABLE.type());
    }
    Map<String, Object> parameters = Map.of("position", truncate.position(), "limit", limit, "prefix", prefix);
    try (Session session = driver.session(sessionConfig)) {
      return session.executeWrite(tx -> tx.run(text, parameters).single().get("deleted").asInt(),
          TransactionConfig.builder().withMetadata(Map.of("app", "graphsync", "truncate", truncate.table(),
              "position", truncate.position())).build());
    }
  }
}
