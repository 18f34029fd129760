package io.graphsync.activities.neo4j;

import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.graphsync.workflows.sync.GraphWriteActivities;
import io.temporal.activity.Activity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies change events to Neo4j: plans the {@link GraphMutation}, then runs its one Cypher statement in one write
 * transaction ({@code executeWrite}, which retries transient errors such as deadlocks). Idempotent: a duplicate or
 * stale event matches the guard and changes nothing. Bad data fails non-retryably (see {@link MutationPlanner});
 * Neo4j errors propagate so Temporal retries them.
 */
public class GraphWriteActivitiesImpl implements GraphWriteActivities {

  private static final Logger log = LoggerFactory.getLogger(GraphWriteActivitiesImpl.class);

  private final Driver driver;
  private final MutationPlanner planner;
  private final SessionConfig sessionConfig;

  /**
   * @param mapping the mapping resolved by {@link io.graphsync.activities.mapping.MappingValidator}
   * @param database the Neo4j database, or null for the server's default
   */
  public GraphWriteActivitiesImpl(Driver driver, GraphMapping mapping, String database) {
    this.driver = driver;
    this.planner = new MutationPlanner(mapping);
    this.sessionConfig = database == null ? SessionConfig.defaultConfig() : SessionConfig.forDatabase(database);
  }

  @Override
  public GraphApplyResult applyToGraph(ChangeEvent event) {
    // attempts count from 1; Temporal's TestActivityEnvironment leaves the attempt unset (0)
    return apply(event, Math.max(1, Activity.getExecutionContext().getInfo().getAttempt()));
  }

  /** The activity's work, outside of an activity context: {@code attempt} is reported back as is. */
  GraphApplyResult apply(ChangeEvent event, int attempt) {
    CypherStatement statement = CypherStatements.of(planner.plan(event));
    List<Record> rows;
    try (Session session = driver.session(sessionConfig)) {
      rows = session.executeWrite(tx -> tx.run(statement.text(), statement.parameters()).list(),
          transactionConfig(event));
    }
    if (rows.isEmpty()) {
      log.debug("stale or duplicate change {} (position {}): graph unchanged", event.eventId(), event.position());
      return new GraphApplyResult(false, null, attempt);
    }
    Value nodeId = rows.get(0).get("nodeId");
    return new GraphApplyResult(true, nodeId.isNull() ? null : nodeId.asString(), attempt);
  }

  /** Transaction metadata shows which change a running transaction applies ({@code SHOW TRANSACTIONS}). */
  private static TransactionConfig transactionConfig(ChangeEvent event) {
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("app", "graphsync");
    metadata.put("eventId", event.eventId());
    metadata.put("position", event.position());
    metadata.values().removeIf(Objects::isNull);
    return TransactionConfig.builder().withMetadata(metadata).build();
  }
}
