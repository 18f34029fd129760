package io.graphsync.starters.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.neo4j.GraphReadActivitiesImpl;
import io.graphsync.activities.neo4j.GraphWriteActivitiesImpl;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.reconcile.ReconciliationActivitiesImpl;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.activities.status.SyncStatusActivitiesImpl;
import io.graphsync.dev.TemporalDevServer;
import io.graphsync.starters.cdc.ChangeEventWorkflowStarter;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.Sql;
import io.graphsync.testing.TestWorkers;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.reconcile.ReconciliationPolicy;
import io.graphsync.workflows.reconcile.ReconciliationRequest;
import io.graphsync.workflows.reconcile.ReconciliationSummary;
import io.graphsync.workflows.reconcile.ReconciliationWorkflow;
import io.graphsync.workflows.reconcile.ReconciliationWorkflowImpl;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.EscalationActivities;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.SyncChangeEventWorkflow;
import io.graphsync.workflows.sync.SyncChangeEventWorkflowImpl;
import io.graphsync.workflows.sync.SyncOutcome;
import io.graphsync.workflows.sync.SyncPolicy;
import io.graphsync.workflows.sync.SyncStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;

/**
 * Reconciliation end to end on the real Temporal dev server, PostgreSQL and Neo4j: the graph is synced by real
 * {@code SyncChangeEventWorkflow}s, drift of each kind is made by hand, one {@code ReconciliationWorkflow} run finds
 * it, repairs it through sync workflows, escalates the same-version edit to a (recording)
 * {@link EscalationActivities}, and records the findings; a second run finds only what must not be repaired
 * automatically.
 */
@ExtendWith(GraphsyncExtension.class)
class ReconciliationWorkflowIT {

  private static final String TASK_QUEUE = "reconcile-it-" + UUID.randomUUID();
  private static final AtomicLong POSITIONS = new AtomicLong(10_000);

  /** Records the conflicts reconciliation hands to a person. */
  static final class RecordingEscalations implements EscalationActivities {
    final List<Conflict> conflicts = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void escalate(Conflict conflict) {
      conflicts.add(conflict);
    }
  }

  private static GraphMapping mapping;
  private static DataSource dataSource;
  private static Driver driver;
  private static TemporalDevServer temporal;
  private static WorkflowClient client;
  private static Sql sql;
  private static ChangeEventWorkflowStarter starter;
  private static final RecordingEscalations escalations = new RecordingEscalations();

  @BeforeAll
  static void start(TemporalDevServer temporalServer, Sql migrated, GraphMapping validated, Driver graph,
      WorkflowClient workflowClient, TestWorkers workers) {
    temporal = temporalServer;
    sql = migrated;
    dataSource = migrated.dataSource();
    // the product's mapping, loaded and resolved against the live schema as worker-app does
    mapping = validated;
    driver = graph;
    client = workflowClient;
    starter = new ChangeEventWorkflowStarter(client, TASK_QUEUE, 8);
    ReconciliationPolicy policy = new ReconciliationPolicy(3, Duration.ofSeconds(2), 2, 1000, 200);
    workers.on(TASK_QUEUE)
        .workflow(ReconciliationWorkflow.class, () -> new ReconciliationWorkflowImpl(policy))
        .workflow(SyncChangeEventWorkflow.class, () -> new SyncChangeEventWorkflowImpl(SyncPolicy.DEFAULT))
        .activities(
            new GraphWriteActivitiesImpl(Neo4jTarget.of(driver), mapping, new SourceRowReader(dataSource, mapping)),
            new GraphReadActivitiesImpl(Neo4jTarget.of(driver), mapping),
            new SyncStatusActivitiesImpl(dataSource, mapping),
            new ReconciliationActivitiesImpl(dataSource, Neo4jTarget.of(driver), mapping),
            new RepairActivitiesImpl(starter),
            escalations)
        .start();
  }

  @AfterAll
  static void stop() {
    starter.close();
  }

  @Test
  void givenDriftOfEachKind_whenReconciled_itRepairsTheGraphEscalatesTheEditAndRecordsTheFindings()
      throws Exception {
    String tenant = id();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'reconciled')", tenant);
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String user = id();
      sql.execute("INSERT INTO users (id, tenant_id, email, display_name) VALUES (?::uuid, ?::uuid, ?, ?)", user,
          tenant, "user" + i + "@example.org", "User " + i);
      users.add(user);
    }
    String item = id();
    String concept = id();
    sql.execute("INSERT INTO content_items (id, tenant_id, title) VALUES (?::uuid, ?::uuid, 'item')", item, tenant);
    sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, 'graphs')", concept, tenant);
    sql.execute("INSERT INTO content_item_concepts (content_item_id, concept_id, tenant_id, weight) "
        + "VALUES (?::uuid, ?::uuid, ?::uuid, 0.75)", item, concept, tenant);
    List<ChangeEvent> initial = new ArrayList<>();
    initial.add(created("tenants", "Tenant", tenant));
    users.forEach(user -> initial.add(created("users", "User", user)));
    initial.add(created("content_items", "ContentItem", item));
    initial.add(created("concepts", "Concept", concept));
    initial.add(created("content_item_concepts", "MENTIONS", item + "|" + concept));
    syncAll(initial);

    String missing = id();
    sql.execute("INSERT INTO users (id, tenant_id, email) VALUES (?::uuid, ?::uuid, 'missing@example.org')", missing,
        tenant);
    String orphan = users.get(0);
    sql.execute("DELETE FROM users WHERE id = ?::uuid", orphan);
    String graphBorn = id();
    cypher("CREATE (:User {id: $id, pgId: $id, tenantId: $tenant, neo4jVersion: 0, email: 'born in the graph'})",
        Map.of("id", graphBorn, "tenant", tenant));
    String stale = users.get(1);
    sql.execute("UPDATE users SET display_name = 'renamed in PostgreSQL' WHERE id = ?::uuid", stale);
    String edited = users.get(2);
    cypher("MATCH (n:User {id: $id}) SET n.email = 'edited@graph', n.neo4jVersion = 1", Map.of("id", edited));
    String unlinked = users.get(3);
    cypher("MATCH (:User {id: $id})-[r:BELONGS_TO]->() DELETE r", Map.of("id", unlinked));
    cypher("MATCH (:ContentItem {id: $from})-[r:MENTIONS]->(:Concept {id: $to}) DELETE r",
        Map.of("from", item, "to", concept));

    // small pages and runs: the run continues as new several times on the real server, carrying cursor and counts
    ReconciliationSummary summary = reconcile("reconcile/it-" + UUID.randomUUID(),
        new ReconciliationRequest(null, tenant, 2, null, null, 3, null));

    assertThat(summary.segments()).isGreaterThan(2);
    assertThat(summary.tables()).hasSize(8);
    assertThat(summary.counts().rows()).as("tenant, 6 users + missing - orphan, item, concept, join row")
        .isEqualTo(10);
    assertThat(summary.counts().missing()).isEqualTo(1);
    assertThat(summary.counts().orphans()).isEqualTo(2);
    assertThat(summary.counts().stale()).isEqualTo(1);
    assertThat(summary.counts().attributes()).isEqualTo(1);
    assertThat(summary.counts().relationships()).isEqualTo(2);
    assertThat(summary.counts().repairsStarted()).isEqualTo(5);
    assertThat(summary.counts().escalated()).isEqualTo(1);
    assertThat(summary.counts().reported()).isEqualTo(1);
    Map<String, String[]> findings = findings(summary.runId());
    assertThat(findings).containsOnlyKeys(missing, orphan, graphBorn, stale, edited, unlinked, item + "|" + concept);
    assertThat(findings.get(missing)).containsExactly("MISSING_IN_NEO4J", "REPAIR_STARTED");
    assertThat(findings.get(orphan)).containsExactly("ORPHAN_IN_NEO4J", "REPAIR_STARTED");
    assertThat(findings.get(graphBorn)).containsExactly("ORPHAN_IN_NEO4J", "NOT_SYNCED");
    assertThat(findings.get(stale)).containsExactly("STALE_VERSION", "REPAIR_STARTED");
    assertThat(findings.get(edited)).containsExactly("ATTRIBUTE_MISMATCH", "ESCALATED");
    assertThat(findings.get(unlinked)).containsExactly("RELATIONSHIP_MISMATCH", "REPAIR_STARTED");
    assertThat(findings.get(item + "|" + concept)).containsExactly("RELATIONSHIP_MISMATCH", "REPAIR_STARTED");
    awaitRepairs(summary.runId());

    assertThat(node("User", missing)).hasValueSatisfying(n -> assertThat(n).containsEntry("email",
        "missing@example.org").containsEntry("pgVersion", 1L));
    assertThat(node("User", orphan)).isEmpty();
    assertThat(count("MATCH (t:GraphsyncTombstone {key: $key}) RETURN count(t) AS c", Map.of("key", "User:" + orphan)))
        .isEqualTo(1);
    assertThat(node("User", graphBorn)).as("never delete what PostgreSQL did not sync").isPresent();
    assertThat(node("User", stale)).hasValueSatisfying(n -> assertThat(n)
        .containsEntry("displayName", "renamed in PostgreSQL").containsEntry("pgVersion", 2L));
    assertThat(node("User", edited)).hasValueSatisfying(n -> assertThat(n).containsEntry("email", "edited@graph"));
    assertThat(count("MATCH (:User {id: $id})-[r:BELONGS_TO]->(:Tenant {id: $tenant}) RETURN count(r) AS c",
        Map.of("id", unlinked, "tenant", tenant))).isEqualTo(1);
    assertThat(count("MATCH (:ContentItem {id: $from})-[r:MENTIONS {weight: 0.75}]->(:Concept {id: $to}) "
        + "RETURN count(r) AS c", Map.of("from", item, "to", concept))).isEqualTo(1);
    assertThat(escalations.conflicts).filteredOn(c -> c.entityId().equals(edited)).singleElement()
        .satisfies(conflict -> {
          assertThat(conflict.kind()).isEqualTo(Conflict.SAME_VERSION_DIFFERENT_CONTENT);
          assertThat(conflict.postgres()).containsEntry("email", "user2@example.org");
          assertThat(conflict.neo4j()).containsEntry("email", "edited@graph");
        });

    ReconciliationSummary second = reconcile("reconcile/it-" + UUID.randomUUID(),
        new ReconciliationRequest(null, tenant, null, null, null, null, null));

    assertThat(second.counts().findings()).as("only what must not be repaired automatically is left").isEqualTo(2);
    assertThat(findings(second.runId())).containsOnlyKeys(graphBorn, edited);
  }

  @Test
  void givenMalformedNodesNextToOrdinaryDrift_whenReconciled_theDriftIsRepairedInTheSameRunAndTheNodesAreFindings()
      throws Exception {
    String tenant = id();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'malformed')", tenant);
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String user = id();
      sql.execute("INSERT INTO users (id, tenant_id, email) VALUES (?::uuid, ?::uuid, ?)", user, tenant,
          "user" + i + "@example.org");
      users.add(user);
    }
    String concept = id();
    sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, 'graphs')", concept, tenant);
    List<ChangeEvent> initial = new ArrayList<>();
    initial.add(created("tenants", "Tenant", tenant));
    users.forEach(user -> initial.add(created("users", "User", user)));
    initial.add(created("concepts", "Concept", concept));
    syncAll(initial);
    // ordinary drift: a deleted row, a row changed in PostgreSQL, a deleted node
    String orphan = users.get(0);
    sql.execute("DELETE FROM users WHERE id = ?::uuid", orphan);
    String stale = users.get(1);
    sql.execute("UPDATE users SET email = 'changed@example.org' WHERE id = ?::uuid", stale);
    String missing = users.get(2);
    cypher("MATCH (n:User {id: $id}) DETACH DELETE n", Map.of("id", missing));
    // malformed: ids that are no uuid (one made by hand, one as if synced), a list where a name is expected
    cypher("CREATE (:Concept {id: 'orphan-1', tenantId: $tenant, name: 'made by hand'})", Map.of("tenant", tenant));
    cypher("CREATE (:User {id: 'synced-by-hand', tenantId: $tenant, syncPosition: 3, pgVersion: 1})",
        Map.of("tenant", tenant));
    cypher("MATCH (n:Concept {id: $id}) SET n.name = ['graphs', 'trees']", Map.of("id", concept));

    ReconciliationSummary summary = reconcile("reconcile/it-" + UUID.randomUUID(),
        new ReconciliationRequest(null, tenant, 2, null, null, 3, null));

    Map<String, String[]> findings = findings(summary.runId());
    assertThat(findings).containsOnlyKeys(orphan, stale, missing, "orphan-1", "synced-by-hand", concept);
    assertThat(findings.get(orphan)).containsExactly("ORPHAN_IN_NEO4J", "REPAIR_STARTED");
    assertThat(findings.get(stale)).containsExactly("STALE_VERSION", "REPAIR_STARTED");
    assertThat(findings.get(missing)).containsExactly("MISSING_IN_NEO4J", "REPAIR_STARTED");
    assertThat(findings.get("orphan-1")).containsExactly("ORPHAN_IN_NEO4J", "NOT_SYNCED");
    assertThat(findings.get("synced-by-hand")).containsExactly("ORPHAN_IN_NEO4J", "REPAIR_STARTED");
    assertThat(findings.get(concept)).containsExactly("ATTRIBUTE_MISMATCH", "ESCALATED");
    assertThat(reason(summary.runId(), "concepts", "orphan-1"))
        .contains("id is not a valid key of table concepts (uuid): 'orphan-1'");
    assertThat(summary.counts().orphans()).isEqualTo(2 + 1);
    awaitRepairs(summary.runId());

    assertThat(node("User", orphan)).isEmpty();
    assertThat(node("User", stale)).hasValueSatisfying(n -> assertThat(n).containsEntry("email",
        "changed@example.org").containsEntry("pgVersion", 2L));
    assertThat(node("User", missing)).hasValueSatisfying(n -> assertThat(n).containsEntry("email",
        "user2@example.org"));
    assertThat(syncStatus(stale)).isEqualTo("SUCCESS");
    assertThat(node("Concept", "orphan-1")).as("never delete what PostgreSQL did not sync").isPresent();
    assertThat(node("User", "synced-by-hand")).as("a synced orphan is deleted whatever its id").isEmpty();
    assertThat(count("MATCH (t:GraphsyncTombstone) WHERE t.key IN $keys RETURN count(t) AS c",
        Map.of("keys", List.of("User:" + orphan, "User:synced-by-hand")))).isEqualTo(2);
    assertThat(escalations.conflicts).filteredOn(c -> c.entityId().equals(concept)).singleElement()
        .satisfies(conflict -> assertThat(conflict.neo4j()).containsEntry("name", List.of("graphs", "trees")));
  }

  @Test
  void givenTheDocumentedCliCommand_whenRun_itReconcilesOneEntityTypeOfOneTenant() throws Exception {
    String tenant = id();
    String user = id();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'cli')", tenant);
    sql.execute("INSERT INTO users (id, tenant_id, email) VALUES (?::uuid, ?::uuid, 'cli@example.org')", user, tenant);
    syncAll(List.of(created("tenants", "Tenant", tenant), created("users", "User", user)));
    sql.execute("UPDATE users SET email = 'changed@example.org' WHERE id = ?::uuid", user);
    String workflowId = "reconcile/manual/users-" + UUID.randomUUID();

    // docs/reconciliation.md, "Run it on demand" (the task queue of this test's worker instead of sync-bulk)
    temporalCli("workflow", "start", "--type", "ReconciliationWorkflow", "--task-queue", TASK_QUEUE,
        "--workflow-id", workflowId, "--input", "{\"tables\":[\"users\"],\"tenantId\":\"" + tenant + "\"}");
    ReconciliationSummary summary = client.newUntypedWorkflowStub(workflowId).getResult(120, TimeUnit.SECONDS,
        ReconciliationSummary.class);
    String progress = temporalCli("workflow", "query", "--workflow-id", workflowId, "--name", "progress");

    assertThat(summary.tables()).containsExactly("users");
    assertThat(summary.tenantId()).isEqualTo(tenant);
    assertThat(summary.counts().rows()).isEqualTo(1);
    assertThat(summary.counts().stale()).isEqualTo(1);
    assertThat(progress).contains("DONE");
    awaitRepairs(summary.runId());
    assertThat(node("User", user)).hasValueSatisfying(n -> assertThat(n).containsEntry("email", "changed@example.org"));
  }

  /** The {@code temporal} CLI against the test server, exactly as the docs run it. */
  private static String temporalCli(String... args) {
    return temporal.cli(args);
  }

  private static ReconciliationSummary reconcile(String workflowId, ReconciliationRequest request) {
    ReconciliationWorkflow workflow = client.newWorkflowStub(ReconciliationWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(TASK_QUEUE)
        .setWorkflowExecutionTimeout(Duration.ofMinutes(5))
        .build());
    return workflow.reconcile(request);
  }

  private static ChangeEvent created(String table, String entityType, String entityId) {
    long position = POSITIONS.incrementAndGet();
    return ChangeEvent.builder(EventSource.POSTGRES, EventType.CREATE).entity(table, entityType, entityId)
        .timestamp(Instant.now()).position(position).dataOmitted(true).build();
  }

  /** Runs the events' syncs one after the other (the capture's order), each to its end. */
  private static void syncAll(List<ChangeEvent> events) throws Exception {
    for (ChangeEvent event : events) {
      starter.startAll(List.of(event));
      SyncOutcome outcome = client.newUntypedWorkflowStub(event.workflowId()).getResult(30, TimeUnit.SECONDS,
          SyncOutcome.class);
      assertThat(outcome.status()).isEqualTo(SyncStatus.SUCCESS);
    }
  }

  /** Waits for every sync workflow the run started. */
  private static void awaitRepairs(long runId) throws Exception {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement("SELECT workflow_id FROM "
             + "graphsync.reconciliation_finding WHERE run_id = ? AND action = 'REPAIR_STARTED'")) {
      statement.setLong(1, runId);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          SyncOutcome outcome = client.newUntypedWorkflowStub(rows.getString(1)).getResult(60, TimeUnit.SECONDS,
              SyncOutcome.class);
          assertThat(outcome.status()).as(rows.getString(1)).isEqualTo(SyncStatus.SUCCESS);
        }
      }
    }
  }

  /** entity id → [finding type, action] of one run. */
  private static Map<String, String[]> findings(long runId) throws SQLException {
    Map<String, String[]> findings = new HashMap<>();
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement("SELECT entity_id, finding_type, action FROM "
             + "graphsync.reconciliation_finding WHERE run_id = ?")) {
      statement.setLong(1, runId);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          findings.put(rows.getString(1), new String[] {rows.getString(2), rows.getString(3)});
        }
      }
    }
    return findings;
  }

  private static String reason(long runId, String table, String entityId) throws SQLException {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement("SELECT detail->>'reason' FROM "
             + "graphsync.reconciliation_finding WHERE run_id = ? AND table_name = ? AND entity_id = ?")) {
      statement.setLong(1, runId);
      statement.setString(2, table);
      statement.setString(3, entityId);
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).as("finding of " + table + " " + entityId).isTrue();
        return rows.getString(1);
      }
    }
  }

  private static String syncStatus(String user) throws SQLException {
    Optional<Map<String, Object>> row = sql.row("SELECT sync_status FROM users WHERE id = ?::uuid", user);
    assertThat(row).isPresent();
    return (String) row.get().get("sync_status");
  }

  private static Optional<Map<String, Object>> node(String label, String id) {
    List<Record> records = driver.executableQuery("MATCH (n:`" + label + "` {id: $id}) RETURN properties(n) AS p")
        .withParameters(Map.of("id", id)).execute().records();
    return records.stream().findFirst().map(r -> r.get("p").asMap());
  }

  private static long count(String cypher, Map<String, Object> parameters) {
    return driver.executableQuery(cypher).withParameters(parameters).execute().records().get(0).get("c").asLong();
  }

  private static void cypher(String text, Map<String, Object> parameters) {
    driver.executableQuery(text).withParameters(parameters).execute();
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }
}
