package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsync.testing.Await;
import io.graphsync.workflows.bulk.BackfillProgress;
import io.graphsync.workflows.bulk.BackfillSummary;
import io.graphsync.workflows.bulk.BackfillWorkflow;
import io.temporal.client.WorkflowClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Backfill through the real application: {@code POST /api/backfill} starts a {@code BackfillWorkflow} on the real
 * dev server, which loads a tenant's rows into Neo4j and marks them SUCCESS, while the capture keeps syncing live
 * changes; a transaction left open across the backfill's read still ends in the graph with its committed value.
 */
class BackfillEndToEndIT extends StackIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);


  @Autowired
  Driver driver;

  @Autowired
  WorkflowClient workflowClient;

  @Value("${local.server.port}")
  int port;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void givenATenantsRowsMissingInTheGraph_whenBackfilledOverRest_theyAreInTheGraphAndSuccess() throws Exception {
    String tenant = UUID.randomUUID().toString();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'backfilled')", tenant);
    List<String> concepts = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String concept = UUID.randomUUID().toString();
      sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, ?)", concept,
          tenant, "concept " + i);
      concepts.add(concept);
    }
    awaitSynced(tenant, 25);
    // a graph that lacks the tenant's data (e.g. a new Neo4j): nodes gone, rows no longer marked synced
    driver.executableQuery("MATCH (n) WHERE n.tenantId = $tenant DETACH DELETE n")
        .withParameters(Map.of("tenant", tenant)).execute();
    sql.execute("UPDATE concepts SET sync_status = 'PENDING', neo4j_node_id = NULL "
        + "WHERE tenant_id = ?::uuid", tenant);
    sql.execute("UPDATE tenants SET sync_status = 'PENDING' WHERE id = ?::uuid", tenant);

    HttpResponse<String> started = post("/api/backfill",
        "{\"tables\":[\"tenants\",\"concepts\"],\"tenantId\":\"" + tenant + "\",\"pageSize\":10}");

    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String workflowId = json.readTree(started.body()).get("workflowId").asText();
    assertThat(workflowId).isEqualTo("backfill/tenants,concepts/tenant/" + tenant);
    BackfillSummary summary = workflowClient.newUntypedWorkflowStub(workflowId)
        .getResult(TIMEOUT.toSeconds(), TimeUnit.SECONDS, BackfillSummary.class);
    assertThat(summary.counts().rows()).isEqualTo(26);
    assertThat(summary.counts().applied()).isEqualTo(26);
    assertThat(summary.counts().pages()).isEqualTo(4);
    assertThat(summary.failedWorkflowIds()).isEmpty();
    assertThat(nodeNames(tenant)).hasSize(25).contains("concept 0", "concept 24");
    assertThat(sql.count("SELECT count(*) FROM concepts WHERE tenant_id = ?::uuid "
        + "AND sync_status = 'SUCCESS' AND neo4j_node_id IS NOT NULL", tenant)).isEqualTo(25);
    assertThat(relationshipsToTenant(tenant)).isEqualTo(25);
    BackfillProgress progress = workflowClient.newWorkflowStub(BackfillWorkflow.class, workflowId).progress();
    assertThat(progress.percentDone()).isEqualTo(100);
    assertThat(progress.phase()).isEqualTo("DONE");

    // a live change after the backfill still flows through the capture
    sql.execute("UPDATE concepts SET name = 'renamed live' WHERE id = ?::uuid", concepts.get(3));
    Await.until("the live rename is in the graph", TIMEOUT,
        () -> name(concepts.get(3)).equals(Optional.of("renamed live")));
  }

  @Test
  void givenATransactionOpenAcrossTheBackfillRead_whenItCommits_theGraphEndsWithTheCommittedValue()
      throws Exception {
    String tenant = UUID.randomUUID().toString();
    String concept = UUID.randomUUID().toString();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'open transaction')", tenant);
    sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, 'before')",
        concept, tenant);
    awaitSynced(tenant, 1);

    String workflowId;
    try (Connection open = dataSource.getConnection()) {
      open.setAutoCommit(false);
      try (PreparedStatement update = open.prepareStatement(
          "UPDATE concepts SET name = 'committed after the read began' WHERE id = ?::uuid")) {
        update.setString(1, concept);
        update.executeUpdate();
      }
      HttpResponse<String> started = post("/api/backfill",
          "{\"tables\":[\"concepts\"],\"tenantId\":\"" + tenant + "\"}");
      assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
      workflowId = json.readTree(started.body()).get("workflowId").asText();
      Await.until("the backfill waits for the open transaction's row lock", TIMEOUT,
          () -> sql.count("SELECT count(*) FROM pg_stat_activity "
              + "WHERE wait_event_type = 'Lock' AND query LIKE '%FOR SHARE'") > 0);
      HttpResponse<String> again = post("/api/backfill", "{\"tables\":[\"concepts\"],\"tenantId\":\"" + tenant + "\"}");
      assertThat(again.statusCode()).as("one backfill of a scope at a time: " + again.body()).isEqualTo(409);
      open.commit();
    }
    workflowClient.newUntypedWorkflowStub(workflowId).getResult(TIMEOUT.toSeconds(), TimeUnit.SECONDS,
        BackfillSummary.class);

    Await.until("the committed value is synced", TIMEOUT,
        () -> sql.count("SELECT count(*) FROM concepts WHERE id = ?::uuid "
            + "AND pg_version = 2 AND sync_status = 'SUCCESS'", concept) == 1);
    assertThat(name(concept)).contains("committed after the read began");
  }

  @Test
  void givenAnUnmappedTable_whenABackfillIsRequested_itIsA400() throws Exception {
    HttpResponse<String> response = post("/api/backfill", "{\"tables\":[\"no_such_table\"]}");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode problem = json.readTree(response.body());
    assertThat(problem.get("detail").asText()).contains("no_such_table");
  }

  private void awaitSynced(String tenant, int concepts) {
    Await.until("the tenant and its concepts are synced", TIMEOUT, () -> sql.count("SELECT count(*) FROM concepts "
        + "WHERE tenant_id = ?::uuid AND sync_status = 'SUCCESS'", tenant) == concepts
        && sql.count("SELECT count(*) FROM tenants WHERE id = ?::uuid AND sync_status = 'SUCCESS'",
        tenant) == 1);
  }

  private List<String> nodeNames(String tenant) {
    return driver.executableQuery("MATCH (c:Concept {tenantId: $tenant}) RETURN c.name AS name")
        .withParameters(Map.of("tenant", tenant)).execute().records().stream()
        .map(r -> r.get("name").asString()).toList();
  }

  private long relationshipsToTenant(String tenant) {
    return driver.executableQuery("MATCH (:Concept)-[:BELONGS_TO]->(t:Tenant {id: $tenant}) RETURN count(*) AS c")
        .withParameters(Map.of("tenant", tenant)).execute().records().get(0).get("c").asLong();
  }

  private Optional<String> name(String concept) {
    return driver.executableQuery("MATCH (c:Concept {id: $id}) RETURN c.name AS name")
        .withParameters(Map.of("id", concept)).execute().records().stream()
        .map(r -> r.get("name").asString()).findFirst();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(TestCredentials.OPERATOR.request("http://127.0.0.1:" + port + path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
