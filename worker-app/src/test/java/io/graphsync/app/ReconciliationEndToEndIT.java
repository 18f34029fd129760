package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsync.app.reconcile.ReconciliationProperties;
import io.graphsync.app.webui.HeadlessChromium;
import io.graphsync.app.webui.TemporalWebUi;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.workflows.reconcile.ReconciliationSummary;
import io.graphsync.workflows.reconcile.ReconciliationWorkflow;
import io.graphsync.workflows.resolve.ManualResolutionWorkflow;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neo4j.driver.Driver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Issue 5 through the real application: the Schedule worker-app installed fires a reconciliation on the real dev
 * server; seeded drift is repaired (missing node), deleted (orphan) or escalated (a node edited inside Neo4j) to a
 * ManualResolutionWorkflow, which the REST API shows and approves; the Web UI's Schedules page lists the Schedule.
 */
class ReconciliationEndToEndIT extends StackIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String TENANT = StackTestSupport.RECONCILED_TENANT;

  @RegisterExtension
  static final HeadlessChromium chromium = new HeadlessChromium();

  @Autowired
  Driver driver;

  @Autowired
  WorkflowClient workflowClient;

  @Autowired
  ScheduleClient scheduleClient;

  @Autowired
  ReconciliationProperties reconciliation;

  @Value("${local.server.port}")
  int port;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void givenDriftOfEachKind_whenTheScheduleFires_itIsRepairedOrEscalatedAndTheConflictIsApprovedOverRest()
      throws Exception {
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'reconciled') ON CONFLICT DO NOTHING",
        TENANT);
    UUID missing = UUID.randomUUID();
    UUID edited = UUID.randomUUID();
    UUID untouched = UUID.randomUUID();
    UUID orphan = UUID.randomUUID();
    for (UUID concept : List.of(missing, edited, untouched)) {
      sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?, ?::uuid, ?)", concept, TENANT,
          "name of " + concept);
    }
    Await.until("the concepts are synced", TIMEOUT, () -> sql.count(
        "SELECT count(*) FROM concepts WHERE id IN (?, ?, ?) AND sync_status = 'SUCCESS'", missing, edited,
        untouched) == 3);

    cypher("MATCH (c:Concept {id: $id}) DETACH DELETE c", missing);
    cypher("MATCH (c:Concept {id: $id}) SET c.name = 'edited inside Neo4j', "
        + "c.neo4jVersion = coalesce(c.neo4jVersion, 0) + 1", edited);
    driver.executableQuery("CREATE (:Concept {id: $id, pgId: $id, tenantId: $tenant, name: 'ghost', "
        + "syncPosition: 1, pgVersion: 1, neo4jVersion: 0})")
        .withParameters(Map.of("id", orphan.toString(), "tenant", TENANT)).execute();

    ScheduleHandle schedule = scheduleClient.getHandle(reconciliation.scheduleId());
    int actionsBefore = schedule.describe().getInfo().getRecentActions().size();
    schedule.trigger();
    String run = awaitScheduledRun(schedule, actionsBefore);
    ReconciliationSummary summary = workflowClient.newUntypedWorkflowStub(run)
        .getResult(TIMEOUT.toSeconds(), TimeUnit.SECONDS, ReconciliationSummary.class);

    assertThat(summary.tenantId()).isEqualTo(TENANT);
    assertThat(findings(summary.runId())).containsEntry(missing.toString(), "MISSING_IN_NEO4J:REPAIR_STARTED")
        .containsEntry(orphan.toString(), "ORPHAN_IN_NEO4J:REPAIR_STARTED")
        .containsEntry(edited.toString(), "ATTRIBUTE_MISMATCH:ESCALATED")
        .doesNotContainKey(untouched.toString());
    Await.until("the missing node is back", TIMEOUT, () -> name(missing).isPresent());
    assertThat(name(missing)).contains("name of " + missing);
    Await.until("the orphan is deleted", TIMEOUT, () -> name(orphan).isEmpty());
    assertThat(name(edited)).as("a same-version edit is not auto-repaired").contains("edited inside Neo4j");

    // the conflict, over the app's REST API, then approved there
    String conflictId = ManualResolutionWorkflow.workflowId("Concept", edited.toString());
    HttpResponse<String> shown = untilAnswered(() -> get("/api/conflicts/Concept/" + edited));
    assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
    JsonNode state = json.readTree(shown.body());
    assertThat(state.path("conflict").path("neo4j").path("name").asText()).isEqualTo("edited inside Neo4j");
    assertThat(state.path("conflict").path("postgres").path("name").asText()).isEqualTo("name of " + edited);
    assertThat(get("/api/conflicts?tenantId=" + TENANT).body()).contains(edited.toString());

    HttpResponse<String> malformed = post("/api/conflicts/Concept/" + edited + "/approve", "{\"by\":\"it\"}");
    assertThat(malformed.statusCode()).isEqualTo(400);
    HttpResponse<String> approved = untilAnswered(() -> post("/api/conflicts/Concept/" + edited + "/approve",
        "{\"resolution\":\"KEEP_POSTGRES\",\"by\":\"it\",\"comment\":\"the graph edit was a test\"}"));
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(202);

    workflowClient.newUntypedWorkflowStub(conflictId).getResult(TIMEOUT.toSeconds(), TimeUnit.SECONDS, Object.class);
    assertThat(workflowClient.newUntypedWorkflowStub(conflictId).describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    Await.until("the node has PostgreSQL's name again", TIMEOUT,
        () -> name(edited).equals(Optional.of("name of " + edited)));
    assertThat(sql.count("SELECT count(*) FROM graphsync.conflict_audit WHERE workflow_id = ? "
        + "AND resolution = 'KEEP_POSTGRES' AND decided_by = ?", conflictId, TestCredentials.OPERATOR.user()))
        .as("the authenticated user, not the body's \"by\"").isEqualTo(1);
  }

  @Test
  void givenTheApp_itInstalledTheScheduleAndTheWebUiListsIt() {
    ScheduleDescription description = scheduleClient.getHandle(reconciliation.scheduleId()).describe();
    assertThat(description.getSchedule().getSpec().getIntervals()).extracting(ScheduleIntervalSpec::getEvery)
        .containsExactly(reconciliation.interval());
    assertThat(description.getSchedule().getPolicy().getOverlap())
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP);
    ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) description.getSchedule().getAction();
    assertThat(action.getWorkflowType()).isEqualTo(ReconciliationWorkflow.TYPE);
    assertThat(action.getOptions().getTaskQueue()).isEqualTo(ReconciliationWorkflow.TASK_QUEUE);

    TemporalWebUi ui = chromium.temporalWebUi(GraphsyncStack.shared().temporal());
    ui.openSchedules();
    assertThat(ui.awaitScheduleIdsShown(ids -> ids.contains(reconciliation.scheduleId()), Duration.ofSeconds(30)))
        .contains(reconciliation.scheduleId());
    chromium.screenshot("schedules-page-lists-reconciliation");
  }

  private String awaitScheduledRun(ScheduleHandle schedule, int actionsBefore) throws Exception {
    String[] started = new String[1];
    Await.until("the Schedule started a run", TIMEOUT, () -> {
      var actions = schedule.describe().getInfo().getRecentActions();
      if (actions.size() <= actionsBefore) {
        return false;
      }
      started[0] = ((ScheduleActionExecutionStartWorkflow) actions.get(actions.size() - 1).getAction())
          .getWorkflowId();
      return true;
    });
    return started[0];
  }

  /** entity id → {@code <finding type>:<action>} of a run. */
  private Map<String, String> findings(long runId) throws Exception {
    Map<String, String> found = new java.util.HashMap<>();
    try (var connection = dataSource.getConnection();
         var statement = connection.prepareStatement(
             "SELECT entity_id, finding_type, action FROM graphsync.reconciliation_finding WHERE run_id = ?")) {
      statement.setLong(1, runId);
      try (var rows = statement.executeQuery()) {
        while (rows.next()) {
          found.put(rows.getString(1), rows.getString(2) + ":" + rows.getString(3));
        }
      }
    }
    return found;
  }

  private void cypher(String query, UUID id) {
    driver.executableQuery(query).withParameters(Map.of("id", id.toString())).execute();
  }

  private Optional<String> name(UUID concept) {
    return driver.executableQuery("MATCH (c:Concept {id: $id}) RETURN c.name AS name")
        .withParameters(Map.of("id", concept.toString())).execute().records().stream()
        .map(r -> r.get("name").asString()).findFirst();
  }

  /**
   * Repeats a call the app answered with 503 (Temporal did not answer a query in time, e.g. a worker busy on this
   * 2-core machine): what a client of the API does on 503 with Retry-After.
   */
  private static HttpResponse<String> untilAnswered(Callable<HttpResponse<String>> call) throws Exception {
    Instant deadline = Instant.now().plus(TIMEOUT);
    HttpResponse<String> response = call.call();
    while (response.statusCode() == 503 && Instant.now().isBefore(deadline)) {
      Thread.sleep(1000);
      response = call.call();
    }
    return response;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(TestCredentials.VIEWER.request("http://127.0.0.1:" + port + path).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(TestCredentials.OPERATOR.request("http://127.0.0.1:" + port + path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
