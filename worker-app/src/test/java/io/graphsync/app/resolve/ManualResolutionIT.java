package io.graphsync.app.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.mapping.MappingLoader;
import io.graphsync.activities.mapping.MappingValidator;
import io.graphsync.activities.neo4j.GraphSchemaInitializer;
import io.graphsync.activities.neo4j.GraphWriteActivitiesImpl;
import io.graphsync.activities.resolve.ResolutionActivitiesImpl;
import io.graphsync.activities.schema.SchemaMigrations;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.dev.DevStack;
import io.graphsync.dev.Neo4jServer;
import io.graphsync.dev.PostgresServer;
import io.graphsync.dev.TemporalDevServer;
import io.graphsync.starters.resolve.ConflictClient;
import io.graphsync.starters.resolve.EscalationActivitiesImpl;
import io.graphsync.starters.resolve.OpenConflict;
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
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

/**
 * Manual resolution end to end on the real Temporal dev server, PostgreSQL and Neo4j: the escalation starts (and
 * updates) one workflow per entity, a worker of this test runs the real workflow and activities, and a person
 * approves by signal, through the REST API's client, and with the {@code temporal} CLI as docs/conflicts.md shows.
 */
class ManualResolutionIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String TASK_QUEUE = "manual-resolution-it-" + UUID.randomUUID();

  private static DataSource dataSource;
  private static Driver driver;
  private static WorkflowServiceStubs service;
  private static WorkflowClient client;
  private static WorkerFactory workers;
  private static EscalationActivitiesImpl escalation;
  private static ConflictClient conflicts;

  @BeforeAll
  static void start() {
    PostgresServer postgres = DevStack.shared().postgres();
    Neo4jServer neo4j = DevStack.shared().neo4j();
    TemporalDevServer temporal = DevStack.shared().temporal();
    dataSource = postgres.dataSource();
    SchemaMigrations.migrate(dataSource, true);
    GraphMapping mapping =
        new MappingValidator(dataSource).validate(MappingLoader.load(MappingLoader.DEFAULT_LOCATION));
    driver = GraphDatabase.driver(neo4j.boltUri(), AuthTokens.basic(neo4j.user(), neo4j.password()));
    new GraphSchemaInitializer(driver, null).initialize(mapping);

    service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
    client = WorkflowClient.newInstance(service,
        WorkflowClientOptions.newBuilder().setNamespace(temporal.namespace()).build());
    workers = WorkerFactory.newInstance(client);
    Worker worker = workers.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationFactory(ManualResolutionWorkflow.class,
        () -> new ManualResolutionWorkflowImpl(ResolutionPolicy.DEFAULT));
    worker.registerActivitiesImplementations(
        new ResolutionActivitiesImpl(dataSource, driver, mapping, null),
        new GraphWriteActivitiesImpl(driver, mapping, null, new SourceRowReader(dataSource, mapping)));
    workers.start();
    escalation = new EscalationActivitiesImpl(client, TASK_QUEUE);
    conflicts = new ConflictClient(client);
  }

  @AfterAll
  static void stop() {
    workers.shutdown();
    workers.awaitTermination(10, TimeUnit.SECONDS);
    service.shutdown();
    driver.close();
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
    waitUntil("visibility lists the tenant's open conflict", () -> conflicts.listOpen(tenant).stream()
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
    waitUntil("the resolved conflict leaves the open list", () -> conflicts.listOpen(tenant).isEmpty());
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
    execute("UPDATE concepts SET description = 'edited in PostgreSQL meanwhile' WHERE id = ?::uuid", id);

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
    execute("DELETE FROM graphsync.conflict_audit WHERE workflow_id = ?", workflowId);
    assertThat(node(id)).isPresent();
  }

  private static ConflictState awaitState(String id, String what,
      java.util.function.Predicate<ConflictState> condition) throws Exception {
    ConflictState[] last = new ConflictState[1];
    waitUntil(what, () -> {
      last[0] = conflicts.show("Concept", id).orElse(null);
      return last[0] != null && last[0].status() != ConflictStatus.RESOLVED && condition.test(last[0]);
    });
    return last[0];
  }

  private static void waitUntil(String what, Callable<Boolean> condition) throws Exception {
    long until = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(100);
    }
  }

  /** The {@code temporal} CLI against the test server, exactly as the docs run it. */
  private static String temporalCli(String... args) {
    return DevStack.shared().temporal().cli(args);
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
    execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'tenant')", id);
    return id;
  }

  private static String insertConcept(String tenant, String name) throws SQLException {
    String id = UUID.randomUUID().toString();
    execute("INSERT INTO concepts (id, tenant_id, name, description) VALUES (?::uuid, ?::uuid, ?, 'about it')", id,
        tenant, name);
    return id;
  }

  private static List<Map<String, Object>> audit(String workflowId) throws SQLException {
    return rows("SELECT run_id, resolution, decided_by, comment, revision, applied, detail "
        + "FROM graphsync.conflict_audit WHERE workflow_id = ?", workflowId);
  }

  private static Map<String, Object> row(String sql, Object... args) throws SQLException {
    List<Map<String, Object>> rows = rows(sql, args);
    assertThat(rows).as(sql).hasSize(1);
    return rows.get(0);
  }

  private static List<Map<String, Object>> rows(String sql, Object... args) throws SQLException {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      try (ResultSet result = statement.executeQuery()) {
        List<Map<String, Object>> rows = new ArrayList<>();
        while (result.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
            row.put(result.getMetaData().getColumnLabel(i), result.getObject(i));
          }
          rows.add(row);
        }
        return rows;
      }
    }
  }

  private static void execute(String sql, Object... args) throws SQLException {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      statement.execute();
    }
  }
}
