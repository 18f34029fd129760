package io.graphsync.app.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.backflow.GraphStampActivitiesImpl;
import io.graphsync.activities.neo4j.GraphWriteActivitiesImpl;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.resolve.ResolutionActivitiesImpl;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.dev.TemporalDevServer;
import io.graphsync.starters.resolve.ConflictClient;
import io.graphsync.starters.resolve.EscalationActivitiesImpl;
import io.graphsync.starters.resolve.OpenConflict;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.Sql;
import io.graphsync.testing.TestWorkers;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.resolve.Approval;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.ConflictState;
import io.graphsync.workflows.resolve.ConflictStatus;
import io.graphsync.workflows.resolve.ManualResolutionWorkflow;
import io.graphsync.workflows.resolve.ManualResolutionWorkflowImpl;
import io.graphsync.workflows.resolve.PropertyDifference;
import io.graphsync.workflows.resolve.Resolution;
import io.graphsync.workflows.resolve.ResolutionOutcome;
import io.graphsync.workflows.resolve.ResolutionPolicy;
import io.temporal.client.WorkflowClient;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;

/**
 * Manual resolution end to end on the real Temporal dev server, PostgreSQL and Neo4j: the escalation starts (and
 * updates) one workflow per entity, a worker of this test runs the real workflow and activities, and a person
 * approves by signal, through the REST API's client, and with the {@code temporal} CLI as docs/conflicts.md shows.
 */
@ExtendWith(GraphsyncExtension.class)
class ManualResolutionIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String TASK_QUEUE = "manual-resolution-it-" + UUID.randomUUID();

  private static DataSource dataSource;
  private static Driver driver;
  private static WorkflowClient client;
  private static Sql sql;
  private static TemporalDevServer temporal;
  private static EscalationActivitiesImpl escalation;
  private static ConflictClient conflicts;

  @BeforeAll
  static void start(Sql migrated, GraphMapping mapping, Driver graph, WorkflowClient workflowClient,
      TemporalDevServer temporalServer, TestWorkers workers) {
    sql = migrated;
    dataSource = migrated.dataSource();
    driver = graph;
    client = workflowClient;
    temporal = temporalServer;
    GraphWriteActivitiesImpl graphWrites =
        new GraphWriteActivitiesImpl(Neo4jTarget.of(driver), mapping, new SourceRowReader(dataSource, mapping));
    workers.on(TASK_QUEUE)
        .workflows(ManualResolutionWorkflowImpl.class)
        .activities(new ResolutionActivitiesImpl(dataSource, Neo4jTarget.of(driver), mapping), graphWrites,
            new GraphStampActivitiesImpl(Neo4jTarget.of(driver), mapping, graphWrites))
        .start();
    escalation = new EscalationActivitiesImpl(client, TASK_QUEUE, ResolutionPolicy.DEFAULT);
    conflicts = new ConflictClient(client);
  }

  @Test
  void givenAConflictEscalatedTwice_whenApprovedBySignal_itRewritesTheNodeFromTheRowAndAudits() throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "graphs");
    String workflowId = ManualResolutionWorkflow.workflowId("Concept", id);

    escalation.escalate(conflict(id, tenant, "graph theory", 1L));
    String run = client.newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId();
    escalation.escalate(conflict(id, tenant, "graph theory (edited again)", 1L));

    ConflictState state = awaitState(id, "revision 2", s -> s.revision() == 2);
    assertThat(client.newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId())
        .as("one workflow per entity").isEqualTo(run);
    assertThat(state.conflict().neo4j()).containsEntry("name", "graph theory (edited again)");
    assertThat(client.newUntypedWorkflowStub(workflowId).describe().getTypedSearchAttributes()
        .get(SyncSearchAttributes.CONFLICT_STATUS)).isEqualTo("OPEN");
    Await.until("visibility lists the tenant's open conflict", TIMEOUT, () -> conflicts.listOpen(tenant).stream()
        .map(OpenConflict::workflowId).toList().equals(List.of(workflowId)));

    conflicts.approve("Concept", id, new Approval(Resolution.KEEP_POSTGRES, "alice", "PostgreSQL is right", 2));

    ResolutionOutcome outcome = client.newUntypedWorkflowStub(workflowId)
        .getResult(TIMEOUT.toSeconds(), TimeUnit.SECONDS, ResolutionOutcome.class);
    assertThat(outcome.resolution()).isEqualTo(Resolution.KEEP_POSTGRES);
    assertThat(outcome.applied()).isTrue();
    assertThat(node(id).orElseThrow()).containsEntry("name", "graphs").containsEntry("tenantId", tenant)
        .containsEntry("pgVersion", 1L);
    assertThat(audit(workflowId)).singleElement().satisfies(row -> assertThat(row)
        .containsEntry("resolution", "KEEP_POSTGRES").containsEntry("decided_by", "alice")
        .containsEntry("revision", 2).containsEntry("applied", true).containsEntry("run_id", run));
    assertThat(client.newUntypedWorkflowStub(workflowId).describe().getTypedSearchAttributes()
        .get(SyncSearchAttributes.CONFLICT_STATUS)).isEqualTo("RESOLVED");
    Await.until("the resolved conflict leaves the open list", TIMEOUT, () -> conflicts.listOpen(tenant).isEmpty());
  }

  @Test
  void givenANodeEditedInNeo4j_whenApprovedWithTheCli_itWritesTheNodesValuesIntoTheRow() throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "graphs");
    String workflowId = ManualResolutionWorkflow.workflowId("Concept", id);
    nodeFromRow(id, tenant);
    cypher("MATCH (n:Concept {id: $id}) SET n.name = 'graph theory', n.description = null", id);
    escalation.escalate(conflict(id, tenant, "graph theory", 1L));
    awaitState(id, "open", s -> s.status() == ConflictStatus.OPEN);

    // docs/conflicts.md: query it, then a typo and the real decision, by CLI
    assertThat(temporalCli("workflow", "query", "--workflow-id", workflowId, "--name", "conflict"))
        .contains("graph theory", "\"revision\":1", "\"status\":\"OPEN\"");
    temporalCli("workflow", "signal", "--workflow-id", workflowId, "--name", "approve",
        "--input", "{\"resolution\":\"KEEP_BOTH\",\"by\":\"ops\"}");
    ConflictState rejected = awaitState(id, "the typo rejected", s -> !s.rejectedApprovals().isEmpty());
    assertThat(rejected.rejectedApprovals().get(0).reason()).contains("no resolution");
    assertThat(rejected.status()).isEqualTo(ConflictStatus.OPEN);
    temporalCli("workflow", "signal", "--workflow-id", workflowId, "--name", "approve",
        "--input", "{\"resolution\":\"KEEP_NEO4J\",\"by\":\"ops\",\"comment\":\"curated in the graph\","
            + "\"revision\":1}");

    ResolutionOutcome outcome = client.newUntypedWorkflowStub(workflowId)
        .getResult(TIMEOUT.toSeconds(), TimeUnit.SECONDS, ResolutionOutcome.class);
    assertThat(outcome.resolution()).isEqualTo(Resolution.KEEP_NEO4J);
    assertThat(outcome.applied()).isTrue();
    assertThat(outcome.detail()).contains("pg_version 1 -> 2");
    assertThat(row("SELECT name, description, pg_version, sync_status FROM concepts WHERE id = ?::uuid", id))
        .containsEntry("name", "graph theory").containsEntry("description", null).containsEntry("pg_version", 2L)
        .containsEntry("sync_status", "PENDING");
    assertThat(audit(workflowId)).singleElement().satisfies(row -> assertThat(row)
        .containsEntry("resolution", "KEEP_NEO4J").containsEntry("decided_by", "ops")
        .containsEntry("comment", "curated in the graph").containsEntry("applied", true));
  }

  @Test
  void givenTheRowChangedAfterTheConflict_whenKeepNeo4jIsApproved_itIsRejectedAndTheWorkflowKeepsWaiting()
      throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "graphs");
    String workflowId = ManualResolutionWorkflow.workflowId("Concept", id);
    nodeFromRow(id, tenant);
    cypher("MATCH (n:Concept {id: $id}) SET n.name = 'graph theory'", id);
    escalation.escalate(conflict(id, tenant, "graph theory", 1L));
    awaitState(id, "open", s -> true);
    sql.execute("UPDATE concepts SET description = 'edited in PostgreSQL meanwhile' WHERE id = ?::uuid", id);

    conflicts.approve("Concept", id, new Approval(Resolution.KEEP_NEO4J, "alice", null, 1));

    ConflictState state = awaitState(id, "the approval rejected", s -> !s.rejectedApprovals().isEmpty());
    assertThat(state.rejectedApprovals().get(0).reason()).contains("stale", "pg_version 1 expected, 2 now");
    assertThat(state.status()).isEqualTo(ConflictStatus.OPEN);
    assertThat(row("SELECT name FROM concepts WHERE id = ?::uuid", id)).containsEntry("name", "graphs");
    assertThat(audit(workflowId)).isEmpty();

    conflicts.approve("Concept", id, new Approval(Resolution.DISMISS, "alice", "fixed in PostgreSQL", 1));
    assertThat(client.newUntypedWorkflowStub(workflowId)
        .getResult(TIMEOUT.toSeconds(), TimeUnit.SECONDS, ResolutionOutcome.class).resolution())
        .isEqualTo(Resolution.DISMISS);
    assertThat(audit(workflowId)).singleElement().satisfies(row -> assertThat(row)
        .containsEntry("resolution", "DISMISS").containsEntry("applied", false));
  }

  // --- fixtures -----------------------------------------------------------------------------------------------

  private static Conflict conflict(String id, String tenant, String neo4jName, Long pgVersion) {
    return new Conflict("concepts", "Concept", id, tenant, Conflict.SAME_VERSION_DIFFERENT_CONTENT, pgVersion, 0L,
        Map.of("name", "graphs"), Map.of("name", neo4jName),
        List.of(new PropertyDifference("name", "graphs", neo4jName)), Instant.now(), "manual-resolution-it");
  }

  /** The node as the sync writes it: here through a KEEP_POSTGRES decision of its own (another workflow run). */
  private static void nodeFromRow(String id, String tenant) throws Exception {
    String workflowId = ManualResolutionWorkflow.workflowId("Concept", id);
    escalation.escalate(conflict(id, tenant, "(no node yet)", 1L));
    awaitState(id, "open", s -> true);
    conflicts.approve("Concept", id, new Approval(Resolution.KEEP_POSTGRES, "setup", null, null));
    client.newUntypedWorkflowStub(workflowId).getResult(TIMEOUT.toSeconds(), TimeUnit.SECONDS,
        ResolutionOutcome.class);
    sql.execute("DELETE FROM graphsync.conflict_audit WHERE workflow_id = ?", workflowId);
    assertThat(node(id)).isPresent();
  }

  private static ConflictState awaitState(String id, String what,
      java.util.function.Predicate<ConflictState> condition) {
    return Await.until(what, TIMEOUT, () -> conflicts.show("Concept", id).orElse(null),
        state -> state != null && state.status() != ConflictStatus.RESOLVED && condition.test(state));
  }

  /** The {@code temporal} CLI against the test server, exactly as the docs run it. */
  private static String temporalCli(String... args) {
    return temporal.cli(args);
  }

  private static Optional<Map<String, Object>> node(String id) {
    var records = driver.executableQuery("MATCH (n:Concept {id: $id}) RETURN properties(n) AS p")
        .withParameters(Map.of("id", id)).execute().records();
    return records.isEmpty() ? Optional.empty() : Optional.of(records.get(0).get("p").asMap());
  }

  private static void cypher(String statement, String id) {
    driver.executableQuery(statement).withParameters(Map.of("id", id)).execute();
  }

  private static String insertTenant() throws SQLException {
    String id = UUID.randomUUID().toString();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'tenant')", id);
    return id;
  }

  private static String insertConcept(String tenant, String name) throws SQLException {
    String id = UUID.randomUUID().toString();
    sql.execute("INSERT INTO concepts (id, tenant_id, name, description) VALUES (?::uuid, ?::uuid, ?, 'about it')", id,
        tenant, name);
    return id;
  }

  private static List<Map<String, Object>> audit(String workflowId) throws SQLException {
    return sql.query("SELECT run_id, resolution, decided_by, comment, revision, applied, detail "
        + "FROM graphsync.conflict_audit WHERE workflow_id = ?", workflowId);
  }

  private static Map<String, Object> row(String query, Object... args) throws SQLException {
    List<Map<String, Object>> rows = sql.query(query, args);
    assertThat(rows).as(query).hasSize(1);
    return rows.get(0);
  }
}
