package io.graphsync.activities.backflow;

import static io.graphsync.activities.mapping.Identifiers.quote;

import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.mapping.BackflowCase;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.graphsync.workflows.sync.GraphWriteActivities;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * The graph writer of the PostgreSQL → Neo4j syncs, with one rule for the nodes of back-flow cases: a change of a node
 * that was edited in Neo4j ({@code neo4jVersion} ahead of {@code backflowVersion}, with a {@code neo4jModifiedAt}) and
 * has not flowed back yet waits — it fails with the retryable {@code BackflowPending}, and Temporal retries it with
 * backoff — until the back-flow has decided by the case's policy. So a PostgreSQL change never overwrites a graph edit
 * that the policy has not seen. Deletes are not held (a row deleted in PostgreSQL wins), nor the back-flow's own
 * echoes ({@code source = NEO4J}), nor labels without a back-flow case (no extra read for them).
 */
public class PendingEditGuard implements GraphWriteActivities {

  private final GraphWriteActivities delegate;
  private final Driver driver;
  private final SessionConfig sessionConfig;
  private final GraphMapping mapping;
  private final Set<String> guardedLabels;

  /** @param neo4j the graph: driver and database */
  public PendingEditGuard(GraphWriteActivities delegate, Neo4jTarget neo4j, GraphMapping mapping) {
    this.delegate = delegate;
    this.driver = neo4j.driver();
    this.sessionConfig = neo4j.sessionConfig();
    this.mapping = mapping;
    this.guardedLabels = mapping.backflow().stream().filter(c -> !c.relationship()).map(BackflowCase::label)
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public GraphApplyResult applyToGraph(ChangeEvent event) {
    if (event.source() != EventSource.NEO4J && event.eventType() != EventType.DELETE
        && guardedLabels.contains(event.entityType()) && mapping.table(event.table()).isPresent()
        && pending(event.entityType(), event.entityId())) {
      throw ApplicationFailure.newFailure(event.entityType() + " " + event.entityId() + " was edited in Neo4j and "
          + "that edit has not flowed back to PostgreSQL yet: this change waits for the back-flow's decision",
          FailureType.BACKFLOW_PENDING.type());
    }
    return delegate.applyToGraph(event);
  }

  static String pendingQuery(String label) {
    return "MATCH (n:" + quote(label) + " {id: $id})\n"
        + "RETURN n.neo4jModifiedAt IS NOT NULL AND coalesce(n.neo4jVersion, 0) > coalesce(n.backflowVersion, 0)"
        + " AS pending";
  }

  private boolean pending(String label, String id) {
    List<Record> records;
    try (Session session = driver.session(sessionConfig)) {
      records = session.executeRead(tx -> tx.run(pendingQuery(label), Map.of("id", id)).list());
    }
    return !records.isEmpty() && records.get(0).get("pending").asBoolean(false);
  }
}
