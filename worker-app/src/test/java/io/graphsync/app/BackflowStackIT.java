package io.graphsync.app;

import io.graphsync.testing.Await;
import io.graphsync.workflows.backflow.BackflowWrite;
import io.graphsync.workflows.sync.SyncOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.neo4j.driver.Driver;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Base of the back-flow tests on the whole stack: what they do to the graph, the rows and the workflows of one
 * {@code Concept}.
 */
abstract class BackflowStackIT extends StackIT {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Autowired
  Driver driver;

  @Autowired
  WorkflowClient workflowClient;

  /** A concept inserted in PostgreSQL, once its node is in the graph. */
  String conceptFromPostgres(String tenant, String name) throws Exception {
    String id = UUID.randomUUID().toString();
    sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, ?)", id, tenant, name);
    Await.until("the concept reaches the graph", TIMEOUT, () -> Long.valueOf(1).equals(node(id).get("pgVersion")));
    return id;
  }

  /** The result of the concept's back-flow of {@code neo4jVersion}, once the poller has started it and it ended. */
  BackflowWrite backflowResult(String id, long neo4jVersion) throws Exception {
    String workflowId = "backflow/Concept/" + id + "/" + neo4jVersion;
    Await.until("the poller starts " + workflowId, TIMEOUT, () -> {
      try {
        workflowClient.newUntypedWorkflowStub(workflowId).describe();
        return true;
      } catch (WorkflowNotFoundException e) {
        return false;
      }
    });
    return workflowClient.newUntypedWorkflowStub(workflowId)
        .getResult(TIMEOUT.toSeconds(), TimeUnit.SECONDS, BackflowWrite.class);
  }

  /** The results of the entity's finished {@code SyncChangeEventWorkflow}s. */
  List<SyncOutcome> syncOutcomes(String entityId) {
    return workflowClient.listExecutions("WorkflowType = 'SyncChangeEventWorkflow' AND EntityId = '" + entityId
        + "' AND ExecutionStatus = 'Completed'").map(execution -> workflowClient
            .newUntypedWorkflowStub(execution.getExecution().getWorkflowId())
            .getResult(SyncOutcome.class)).toList();
  }

  /**
   * Both sides change the concept: the row first, the node a moment later, and the row's transaction commits after
   * both. Whichever of the poller and the capture comes first finds both sides changed (the capture's change waits
   * for the back-flow's decision, the back-flow waits for the row's lock).
   */
  void changeBothSides(String id, String postgresName, String graphName) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE concepts SET name = ? WHERE id = ?::uuid")) {
        update.setString(1, postgresName);
        update.setString(2, id);
        update.executeUpdate();
      }
      cypher("MATCH (c:Concept {id: $id}) SET c.name = $name, "
          + "c.neo4jVersion = coalesce(c.neo4jVersion, 0) + 1, c.neo4jModifiedAt = datetime()",
          Map.of("id", id, "name", graphName));
      connection.commit();
    }
  }

  /** No workflow of the entity runs (EntityId is the concept's id, or {@code from|to} for a relationship). */
  boolean settled(String entityId) {
    return workflowClient.listExecutions("EntityId = '" + entityId + "' AND ExecutionStatus = 'Running'").count() == 0;
  }

  long workflows(String type, String entityId) {
    return workflowClient.listExecutions("WorkflowType = '" + type + "' AND EntityId = '" + entityId + "'").count();
  }

  String tenant() throws SQLException {
    String tenant = UUID.randomUUID().toString();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'backflow')", tenant);
    return tenant;
  }

  Map<String, Object> node(String id) {
    var records = driver.executableQuery("MATCH (c:Concept {id: $id}) RETURN properties(c) AS p")
        .withParameters(Map.of("id", id)).execute().records();
    return records.isEmpty() ? Map.of() : records.get(0).get("p").asMap();
  }

  long count(String query, String id) {
    return driver.executableQuery(query).withParameters(Map.of("id", id)).execute().records().get(0).get("c")
        .asLong();
  }

  long count(String query, String id, String other) {
    return driver.executableQuery(query).withParameters(Map.of("id", id, "other", other)).execute().records().get(0)
        .get("c").asLong();
  }

  void cypher(String statement, Map<String, Object> parameters) {
    driver.executableQuery(statement).withParameters(parameters).execute();
  }
}
