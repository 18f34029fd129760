package io.graphsync.app.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.backflow.GraphStampActivitiesImpl;
import io.graphsync.activities.neo4j.GraphReadActivitiesImpl;
import io.graphsync.activities.neo4j.GraphWriteActivitiesImpl;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.resolve.ResolutionActivitiesImpl;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.activities.status.SyncStatusActivitiesImpl;
import io.graphsync.dev.PostgresServer;
import io.graphsync.starters.cdc.CaptureListener;
import io.graphsync.starters.cdc.CaptureSettings;
import io.graphsync.starters.cdc.CaptureState;
import io.graphsync.starters.cdc.PostgresCapture;
import io.graphsync.starters.resolve.ConflictClient;
import io.graphsync.starters.resolve.EscalationActivitiesImpl;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.Sql;
import io.graphsync.testing.TestWorkers;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.resolve.Approval;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.ManualResolutionWorkflow;
import io.graphsync.workflows.resolve.ManualResolutionWorkflowImpl;
import io.graphsync.workflows.resolve.PropertyDifference;
import io.graphsync.workflows.resolve.Resolution;
import io.graphsync.workflows.resolve.ResolutionOutcome;
import io.graphsync.workflows.resolve.ResolutionPolicy;
import io.graphsync.workflows.sync.SyncChangeEventWorkflow;
import io.graphsync.workflows.sync.SyncChangeEventWorkflowImpl;
import io.graphsync.workflows.sync.SyncOutcome;
import io.graphsync.workflows.sync.SyncPolicy;
import io.temporal.client.WorkflowClient;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;

/**
 * KEEP_NEO4J through the whole loop with the real capture: the row is updated from the node under the
 * {@code pg_version} lock, the version trigger bumps it, Debezium captures the update, its
 * {@code SyncChangeEventWorkflow} applies it to the graph, and the node's content is exactly what the person kept
 * (only the bookkeeping moves: {@code pgVersion}, {@code syncPosition}, {@code lastSyncedAt}). A capture of its own
 * (slot of this test) starts the syncs on this test's task queue.
 */
@ExtendWith(GraphsyncExtension.class)
class KeepNeo4jRoundTripIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String TASK_QUEUE = "keep-neo4j-round-trip-it-" + UUID.randomUUID();
  private static final String SLOT = "resolve_it_" + UUID.randomUUID().toString().substring(0, 8);
  private static final Set<String> BOOKKEEPING = Set.of("pgVersion", "syncPosition", "lastSyncedAt");

  private static DataSource dataSource;
  private static Driver driver;
  private static WorkflowClient client;
  private static Sql sql;
  private static PostgresCapture capture;

  @BeforeAll
  static void start(PostgresServer postgres, Sql migrated, GraphMapping mapping, Driver graph,
      WorkflowClient workflowClient, TestWorkers workers) throws Exception {
    sql = migrated;
    dataSource = migrated.dataSource();
    driver = graph;
    client = workflowClient;
    GraphWriteActivitiesImpl graphWrites =
        new GraphWriteActivitiesImpl(Neo4jTarget.of(driver), mapping, new SourceRowReader(dataSource, mapping));
    workers.on(TASK_QUEUE)
        .workflows(ManualResolutionWorkflowImpl.class)
        .workflow(SyncChangeEventWorkflow.class, () -> new SyncChangeEventWorkflowImpl(SyncPolicy.DEFAULT))
        .activities(new ResolutionActivitiesImpl(dataSource, Neo4jTarget.of(driver), mapping),
            graphWrites, new GraphStampActivitiesImpl(Neo4jTarget.of(driver), mapping, graphWrites),
            new GraphReadActivitiesImpl(Neo4jTarget.of(driver), mapping),
            new SyncStatusActivitiesImpl(dataSource, mapping))
        .start();

    capture = new PostgresCapture(CaptureSettings.builder()
        .host("127.0.0.1")
        .port(postgres.settings().port())
        .database(postgres.settings().database())
        .user(postgres.settings().user())
        .password(postgres.settings().password())
        .slotName(SLOT)
        .publicationName(SLOT + "_pub")
        .taskQueue(TASK_QUEUE)
        .leaseRetryInterval(Duration.ofSeconds(1))
        .offsetFlushInterval(Duration.ofMillis(500))
        .mapping(mapping)
        .build(), client, CaptureListener.NONE);
    capture.start();
    Await.until("the capture streams", TIMEOUT, () -> capture.state() == CaptureState.RUNNING && slotActive());
  }

  @AfterAll
  static void stop() throws Exception {
    capture.close();
    Await.until("the slot is released", TIMEOUT, () -> !slotActive());
    sql.execute("SELECT pg_drop_replication_slot(?)", SLOT);
  }

  @Test
  void givenANodeEditedInNeo4j_whenKeepNeo4jIsApplied_theCapturedUpdateComesBackAsANoOpInContent()
      throws Exception {
    String tenant = UUID.randomUUID().toString();
    String id = UUID.randomUUID().toString();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'tenant')", tenant);
    sql.execute("INSERT INTO concepts (id, tenant_id, name, description, created_at) VALUES "
        + "(?::uuid, ?::uuid, 'graphs', 'about it', '2024-02-29 13:45:00.5+02')", id, tenant);
    Await.until("the insert is synced", TIMEOUT, () -> "SUCCESS".equals(column(id, "sync_status"))
        && node(id).map(n -> "graphs".equals(n.get("name"))).orElse(false));
    driver.executableQuery("MATCH (n:Concept {id: $id}) SET n.name = 'graph theory', n.description = null")
        .withParameters(Map.of("id", id)).execute();
    Map<String, Object> kept = content(node(id).orElseThrow());

    new EscalationActivitiesImpl(client, TASK_QUEUE, ResolutionPolicy.DEFAULT).escalate(
        new Conflict("concepts", "Concept", id, tenant,
        Conflict.SAME_VERSION_DIFFERENT_CONTENT, 1L, 0L, Map.of("name", "graphs", "description", "about it"),
        Map.of("name", "graph theory"), List.of(new PropertyDifference("name", "graphs", "graph theory"),
        new PropertyDifference("description", "about it", null)), Instant.now(), "keep-neo4j-round-trip-it"));
    ConflictClient conflicts = new ConflictClient(client);
    Await.until("the conflict is open", TIMEOUT, () -> conflicts.show("Concept", id).isPresent());
    conflicts.approve("Concept", id, new Approval(Resolution.KEEP_NEO4J, "alice", "curated in the graph", 1));
    ResolutionOutcome outcome = client.newUntypedWorkflowStub(ManualResolutionWorkflow.workflowId("Concept", id))
        .getResult(TIMEOUT.toSeconds(), TimeUnit.SECONDS, ResolutionOutcome.class);

    assertThat(outcome.applied()).isTrue();
    assertThat(column(id, "name")).isEqualTo("graph theory");
    assertThat(column(id, "description")).isNull();
    assertThat(column(id, "pg_version")).isEqualTo(2L);
    // the capture brings the update back: synced (SUCCESS for version 2), the graph at version 2 ...
    Await.until("the update is synced back", TIMEOUT, () -> "SUCCESS".equals(column(id, "sync_status"))
        && node(id).map(n -> Long.valueOf(2).equals(n.get("pgVersion"))).orElse(false));
    // ... by a sync that applied it, and with the same content as the node the person kept
    String completedSyncs = "WorkflowType=\"SyncChangeEventWorkflow\" AND EntityId=\"" + id
        + "\" AND ExecutionStatus=\"Completed\"";
    Await.until("visibility lists both syncs", TIMEOUT, () -> client.listExecutions(completedSyncs).count() == 2);
    List<String> syncs =
        client.listExecutions(completedSyncs).map(w -> w.getExecution().getWorkflowId()).toList();
    assertThat(syncs).allSatisfy(sync -> assertThat(client.newUntypedWorkflowStub(sync)
        .getResult(SyncOutcome.class).applied()).isTrue());
    assertThat(content(node(id).orElseThrow())).isEqualTo(kept);
  }

  // --- fixtures -----------------------------------------------------------------------------------------------

  private static Optional<Map<String, Object>> node(String id) {
    var records = driver.executableQuery("MATCH (n:Concept {id: $id}) RETURN properties(n) AS p")
        .withParameters(Map.of("id", id)).execute().records();
    return records.isEmpty() ? Optional.empty() : Optional.of(records.get(0).get("p").asMap());
  }

  private static Map<String, Object> content(Map<String, Object> node) {
    Map<String, Object> content = new HashMap<>(node);
    content.keySet().removeAll(BOOKKEEPING);
    content.replaceAll((key, value) -> value instanceof ZonedDateTime zoned ? zoned.toInstant() : value);
    return content;
  }

  private static Object column(String id, String column) throws SQLException {
    return sql.value("SELECT " + column + " FROM concepts WHERE id = ?::uuid", id);
  }

  private static boolean slotActive() throws SQLException {
    return Boolean.TRUE.equals(sql.value("SELECT active FROM pg_replication_slots WHERE slot_name = ?", SLOT));
  }
}
