package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.neo4j.GraphSchemaInitializer;
import io.graphsync.activities.neo4j.GraphWriteActivitiesImpl;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.activities.status.SyncStatusActivitiesImpl;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.testing.Sql;
import io.graphsync.testing.TestWorkers;
import io.graphsync.testing.TestWorkers.TestWorker;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.SyncChangeEventWorkflow;
import io.graphsync.workflows.sync.SyncChangeEventWorkflowImpl;
import io.graphsync.workflows.sync.SyncPolicy;
import io.temporal.client.WorkflowExecutionMetadata;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

/**
 * Issue 9, item 10 on the real stack (PostgreSQL, Debezium capture, Temporal dev server, Neo4j), with a table of its
 * own ({@code drift.notes}) and its own mapping: a column added while the capture runs is not an error (changes keep
 * syncing, the column is listed as information); a mapped column renamed while it runs fails the next change's sync
 * visibly (FAILED with {@code SchemaChanged} naming the column, the capture's health WARNING), never silently; after
 * the rollout (mapping updated, capture and worker restarted) the operator's {@code retry} succeeds.
 */
@ExtendWith(GraphsyncExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchemaDriftIT {

  private static final String TASK_QUEUE = "schema-drift-it-" + UUID.randomUUID();
  private static final String ID = UUID.randomUUID().toString();

  private static final String SCHEMA = """
      CREATE SCHEMA IF NOT EXISTS drift;
      DROP TABLE IF EXISTS drift.notes;
      CREATE TABLE drift.notes (id uuid PRIMARY KEY, title text, body text);
      SELECT graphsync.enable_sync('drift.notes');
      """;

  private static final String MAPPING = """
      tables:
        - table: drift.notes
          label: DriftNote
          key: id
          include: [title, body]
      """;

  /** The mapping after the rename: the new column, keeping the property's name. */
  private static final String FIXED_MAPPING = """
      tables:
        - table: drift.notes
          label: DriftNote
          key: id
          include: [headline, body]
          rename:
            headline: title
      """;

  private static CaptureFixture fixture;
  private static GraphsyncStack harness;
  private static DataSource dataSource;
  private static Sql sql;
  private static Driver driver;
  private static PostgresCapture capture;
  private static TestWorkers workers;
  private static TestWorker worker;

  @BeforeAll
  static void start(GraphsyncStack stack, Sql sql, Driver graph, TestWorkers testWorkers) throws SQLException {
    harness = stack;
    fixture = new CaptureFixture(stack, "gs_drift_it");
    SchemaDriftIT.sql = sql;
    dataSource = sql.dataSource();
    sql.execute(SCHEMA);
    driver = graph;
    workers = testWorkers;
    GraphMapping mapping = validated(MAPPING);
    new GraphSchemaInitializer(Neo4jTarget.of(driver)).initialize(mapping);
    startWorker(mapping);
    startCapture(mapping);
  }

  @AfterAll
  static void stop() throws SQLException {
    if (fixture != null) {
      fixture.stop(capture);
    }
  }

  @Test
  @Order(1)
  void givenColumnAddedThatTheMappingDoesNotName_whenRowsChange_theyStillSyncAndHealthListsItAsInformation()
      throws SQLException {
    sql.execute("INSERT INTO drift.notes (id, title, body) VALUES (?::uuid, 'v1', 'b1')", ID);
    awaitStatus("SUCCESS", 1);

    sql.execute("ALTER TABLE drift.notes ADD COLUMN summary text");
    sql.execute("UPDATE drift.notes SET body = 'b2', summary = 'not mapped' WHERE id = ?::uuid", ID);

    awaitStatus("SUCCESS", 2);
    assertThat(node()).containsEntry("title", "v1").containsEntry("body", "b2").doesNotContainKey("summary");
    CaptureHealth health = capture.health();
    assertThat(health.status()).isEqualTo(CaptureHealth.Status.UP);
    assertThat(health.schemaDrift()).isEmpty();
    assertThat(health.unmappedColumns()).isEqualTo(Map.of("drift.notes", List.of("summary")));
  }

  @Test
  @Order(2)
  void givenMappedColumnRenamedWhileCapturing_whenTheRowChanges_itsSyncFailsVisiblyAndHealthWarns()
      throws SQLException {
    sql.execute("ALTER TABLE drift.notes RENAME COLUMN title TO headline");
    sql.execute("UPDATE drift.notes SET headline = 'v2', body = 'b3' WHERE id = ?::uuid", ID);

    Map<String, Object> row = awaitStatus("FAILED", 3);
    assertThat((String) row.get("last_sync_error")).contains("SchemaChanged", "mapped column 'title'",
        "table 'drift.notes'", "dropped or renamed", "Update the mapping", "restart worker-app");
    assertThat(node()).as("nothing of the change is written while it fails")
        .containsEntry("title", "v1").containsEntry("body", "b2");
    CaptureHealth health = capture.health();
    assertThat(health.status()).isEqualTo(CaptureHealth.Status.WARNING);
    assertThat(health.reasons()).anySatisfy(reason -> assertThat(reason).contains("'title'", "'drift.notes'"));
    assertThat(health.schemaDrift()).singleElement().satisfies(drift -> {
      assertThat(drift.table()).isEqualTo("drift.notes");
      assertThat(drift.column()).isEqualTo("title");
      assertThat(drift.changes()).isEqualTo(1);
    });
    assertThat(health.unmappedColumns().get("drift.notes")).containsExactly("headline", "summary");
  }

  @Test
  @Order(3)
  void givenTheRolloutIsDone_whenTheOperatorRetries_theFailedSyncSucceedsAndTheWarningIsGone() throws SQLException {
    // update the mapping, restart (capture and workers), retry the FAILED sync
    GraphMapping fixed = validated(FIXED_MAPPING);
    capture.close();
    worker.close();
    startWorker(fixed);
    startCapture(fixed);

    WorkflowExecutionMetadata failed = fixture.syncWorkflows(ID).get(fixture.syncWorkflows(ID).size() - 1);
    fixture.client.newWorkflowStub(SyncChangeEventWorkflow.class, failed.getExecution().getWorkflowId()).retry();

    awaitStatus("SUCCESS", 3);
    assertThat(node()).containsEntry("title", "v2").containsEntry("body", "b3");
    sql.execute("UPDATE drift.notes SET headline = 'v3' WHERE id = ?::uuid", ID);
    awaitStatus("SUCCESS", 4);
    assertThat(node()).containsEntry("title", "v3");
    assertThat(capture.health().status()).isEqualTo(CaptureHealth.Status.UP);
    assertThat(capture.health().schemaDrift()).isEmpty();
  }

  @Test
  @Order(4)
  void givenMappedColumnAlteredToAnotherTypeWhileCapturing_whenTheRowChanges_itsSyncFailsVisiblyAndHealthWarns()
      throws SQLException {
    sql.execute("ALTER TABLE drift.notes ALTER COLUMN body TYPE integer USING length(body)");
    sql.execute("UPDATE drift.notes SET headline = 'v4' WHERE id = ?::uuid", ID);

    Map<String, Object> row = awaitStatus("FAILED", 5);
    assertThat((String) row.get("last_sync_error")).contains("SchemaChanged", "mapped column 'body'",
        "changed its type", "restart worker-app");
    assertThat(node()).as("nothing of the change is written while it fails").containsEntry("title", "v3");
    CaptureHealth health = capture.health();
    assertThat(health.status()).isEqualTo(CaptureHealth.Status.WARNING);
    assertThat(health.schemaDrift()).singleElement().satisfies(drift -> {
      assertThat(drift.column()).isEqualTo("body");
      assertThat(drift.problem()).contains("changed its type");
    });
  }

  private static GraphMapping validated(String yaml) {
    return harness.mapping(yaml, "drift.yml");
  }

  private static void startWorker(GraphMapping mapping) {
    worker = workers.on(TASK_QUEUE)
        .workflow(SyncChangeEventWorkflow.class, () -> new SyncChangeEventWorkflowImpl(SyncPolicy.DEFAULT))
        .activities(
            new GraphWriteActivitiesImpl(Neo4jTarget.of(driver), mapping, new SourceRowReader(dataSource, mapping)),
            new SyncStatusActivitiesImpl(dataSource, mapping))
        .start();
  }

  private static void startCapture(GraphMapping mapping) {
    capture = new PostgresCapture(fixture.settings().mapping(mapping).taskQueue(TASK_QUEUE).build(), fixture.client,
        CaptureListener.NONE);
    capture.start();
    fixture.awaitStreaming(capture);
  }

  /** Waits until the row's version is {@code version} and its sync status {@code status}; returns the row. */
  private static Map<String, Object> awaitStatus(String status, long version) {
    Await.until(() -> "sync_status " + status + " of version " + version + ", row " + row(), Duration.ofSeconds(60),
        () -> status.equals(row().get("sync_status")) && Long.valueOf(version).equals(row().get("pg_version")));
    return row();
  }

  private static Map<String, Object> row() {
    try {
      return sql.row("SELECT sync_status, pg_version, last_sync_error FROM drift.notes WHERE id = ?::uuid", ID)
          .orElse(Map.of());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> node() {
    try (Session session = driver.session()) {
      List<Record> nodes = session.run("MATCH (n:DriftNote {id: $id}) RETURN n", Map.of("id", ID)).list();
      assertThat(nodes).hasSize(1);
      return nodes.get(0).get("n").asMap();
    }
  }
}
