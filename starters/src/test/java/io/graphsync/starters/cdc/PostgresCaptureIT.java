package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.SyncChangeEventWorkflow;
import io.temporal.client.WorkflowExecutionMetadata;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The capture against a real PostgreSQL and the real Temporal dev server; no worker runs, so workflows only start. */
@ExtendWith(GraphsyncExtension.class)
class PostgresCaptureIT {

  private static final Logger log = LoggerFactory.getLogger(PostgresCaptureIT.class);

  private static CaptureFixture fixture;
  private static PostgresCapture capture;
  private static CaptureMetrics metrics;

  @BeforeAll
  static void startCapture(GraphsyncStack stack) {
    fixture = new CaptureFixture(stack, "gs_capture_it");
    metrics = new CaptureMetrics();
    capture = new PostgresCapture(fixture.settings().build(), fixture.client, metrics);
    capture.start();
    fixture.awaitStreaming(capture);
  }

  @AfterAll
  static void stopCapture() throws SQLException {
    if (fixture != null) {
      fixture.stop(capture);
    }
  }

  @Test
  void givenInsertUpdateDelete_whenCommitted_itStartsOneWorkflowPerChangeWithTheChangeAsInput() throws Exception {
    String tenant = insertTenant("Acme");
    String item = UUID.randomUUID().toString();
    Instant beforeInsert = Instant.now().minusSeconds(1);
    String insertXid;
    try (Connection c = fixture.connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO content_items "
          + "(id, tenant_id, title, metadata, score, tags, body) VALUES (?::uuid, ?::uuid, ?, ?::jsonb, ?, ?, ?)")) {
        insert.setString(1, item);
        insert.setString(2, tenant);
        insert.setString(3, "First title");
        insert.setString(4, "{\"lang\":\"en\",\"pages\":3}");
        insert.setBigDecimal(5, new java.math.BigDecimal("12.34"));
        insert.setArray(6, c.createArrayOf("text", new String[] {"graph", "sync"}));
        insert.setString(7, "short body");
        insert.executeUpdate();
      }
      insertXid = currentXid(c);
      c.commit();
    }
    Instant afterInsert = Instant.now().plusSeconds(1);
    execute("UPDATE content_items SET title = 'Second title' WHERE id = '" + item + "'");
    execute("DELETE FROM content_items WHERE id = '" + item + "'");

    List<ChangeEvent> events = fixture.awaitEvents(item, 3);

    assertThat(events).extracting(ChangeEvent::eventType)
        .containsExactly(EventType.CREATE, EventType.UPDATE, EventType.DELETE);
    ChangeEvent create = events.get(0);
    assertThat(create.eventId()).isEqualTo(ChangeEvent.eventIdOf("content_items", item, create.position()));
    assertThat(create.correlationId()).isEqualTo(insertXid);
    assertThat(create.entityType()).isEqualTo("ContentItem");
    assertThat(create.entityId()).isEqualTo(item);
    assertThat(create.tenantId()).isEqualTo(tenant);
    assertThat(create.timestamp()).isBetween(beforeInsert, afterInsert);
    assertThat(create.version()).isEqualTo(1L);
    assertThat(create.table()).isEqualTo("content_items");
    assertThat(create.source()).isEqualTo(EventSource.POSTGRES);
    assertThat(create.userId()).isNull();
    assertThat(create.previousData()).isNull();
    assertThat(create.data())
        .containsEntry("id", item)
        .containsEntry("tenant_id", tenant)
        .containsEntry("title", "First title")
        .containsEntry("score", "12.3400")
        .containsEntry("tags", List.of("graph", "sync"))
        .containsEntry("message_id", null)
        .doesNotContainKeys("sync_status", "sync_attempts", "neo4j_node_id");
    assertThat((String) create.data().get("metadata")).contains("\"lang\"").contains("\"pages\"");
    assertThat((String) create.data().get("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(((Number) create.data().get("pg_version")).longValue()).isEqualTo(1L);

    ChangeEvent update = events.get(1);
    assertThat(update.version()).isEqualTo(2L);
    assertThat(update.position()).isGreaterThan(create.position());
    assertThat(update.data()).containsEntry("title", "Second title");
    assertThat(update.previousData()).containsEntry("title", "First title");

    ChangeEvent delete = events.get(2);
    assertThat(delete.data()).isNull();
    assertThat(delete.version()).isEqualTo(2L);
    assertThat(delete.previousData()).containsEntry("id", item).containsEntry("title", "Second title")
        .containsEntry("tenant_id", tenant);

    for (WorkflowExecutionMetadata workflow : fixture.syncWorkflows(item)) {
      ChangeEvent input = fixture.input(workflow.getExecution().getWorkflowId());
      assertThat(workflow.getExecution().getWorkflowId()).isEqualTo(input.workflowId());
      assertThat(workflow.getWorkflowType()).isEqualTo(SyncChangeEventWorkflow.TYPE);
      assertThat(workflow.getTypedSearchAttributes().get(SyncSearchAttributes.ENTITY_TYPE)).isEqualTo("ContentItem");
      assertThat(workflow.getTypedSearchAttributes().get(SyncSearchAttributes.TENANT_ID)).isEqualTo(tenant);
      assertThat(workflow.getTypedSearchAttributes().get(SyncSearchAttributes.EVENT_TYPE))
          .isEqualTo(input.eventType().name());
      assertThat(workflow.getTypedSearchAttributes().get(SyncSearchAttributes.SYNC_STATUS)).isEqualTo("RUNNING");
    }
  }

  @Test
  void givenUpdateOfSyncColumnsOnly_whenCommitted_itStartsNothingAndKeepsPgVersion() throws Exception {
    String tenant = insertTenant("Loop Corp");
    execute("UPDATE tenants SET sync_status = 'SUCCESS', sync_attempts = 1, last_sync_timestamp = now(), "
        + "neo4j_node_id = '4:abc:1' WHERE id = '" + tenant + "'");
    assertThat(pgVersion("tenants", tenant)).isEqualTo(1L);
    // a later business change: once its workflow is listed, the sync-only update (committed before it) was read
    execute("UPDATE tenants SET plan = 'pro' WHERE id = '" + tenant + "'");

    List<ChangeEvent> events = fixture.awaitEvents(tenant, 2);

    assertThat(events).extracting(ChangeEvent::eventType).containsExactly(EventType.CREATE, EventType.UPDATE);
    assertThat(events.get(1).version()).isEqualTo(2L);
    assertThat(events.get(1).previousData()).containsEntry("plan", "free").doesNotContainKey("sync_status");
    assertThat(events.get(1).data()).containsEntry("plan", "pro").doesNotContainKey("sync_status");
    assertThat(pgVersion("tenants", tenant)).isEqualTo(2L);
    Await.staysTrue("no sync workflow for the sync-only update", Duration.ofMillis(500),
        () -> fixture.syncWorkflows(tenant).size() == 2);
  }

  @Test
  void givenJoinTableRow_whenInserted_itStartsOneRelationshipSyncWithACompositeId() throws Exception {
    String tenant = insertTenant("Join Ltd");
    String item = UUID.randomUUID().toString();
    String concept = UUID.randomUUID().toString();
    execute("INSERT INTO content_items (id, tenant_id, title) VALUES ('" + item + "', '" + tenant + "', 'T')");
    execute("INSERT INTO concepts (id, tenant_id, name) VALUES ('" + concept + "', '" + tenant + "', 'Graphs')");
    execute("INSERT INTO content_item_concepts (content_item_id, concept_id, tenant_id, weight) VALUES ('" + item
        + "', '" + concept + "', '" + tenant + "', 0.75)");

    List<ChangeEvent> events = fixture.awaitEvents(item + "|" + concept, 1);

    ChangeEvent relationship = events.get(0);
    assertThat(relationship.eventType()).isEqualTo(EventType.CREATE);
    assertThat(relationship.entityType()).isEqualTo("MENTIONS");
    assertThat(relationship.table()).isEqualTo("content_item_concepts");
    assertThat(relationship.tenantId()).isEqualTo(tenant);
    assertThat(relationship.version()).isNull();
    assertThat(relationship.data()).containsEntry("weight", "0.7500");
    assertThat(relationship.workflowId())
        .isEqualTo("sync/MENTIONS/" + item + "|" + concept + "/" + relationship.position());
  }

  @Test
  void givenToastedBody_whenOnlyTheTitleChanges_replicaIdentityFullStillGivesTheWholeBody() throws Exception {
    String tenant = insertTenant("Toast Inc");
    String item = UUID.randomUUID().toString();
    // TOASTed (far over 2 kB), yet data + previousData of the update stay under the 256 KiB payload limit
    String body = randomText(100_000);
    try (Connection c = fixture.connect();
         PreparedStatement insert = c.prepareStatement(
             "INSERT INTO content_items (id, tenant_id, title, body) VALUES (?::uuid, ?::uuid, 'T1', ?)")) {
      insert.setString(1, item);
      insert.setString(2, tenant);
      insert.setString(3, body);
      insert.executeUpdate();
    }
    execute("UPDATE content_items SET title = 'T2' WHERE id = '" + item + "'");

    List<ChangeEvent> events = fixture.awaitEvents(item, 2);

    assertThat(events.get(0).data()).containsEntry("body", body);
    ChangeEvent update = events.get(1);
    log.info("unchanged TOASTed column in an update: after {} / before {}",
        abbreviate(update.data().get("body")), abbreviate(update.previousData().get("body")));
    assertThat(update.data()).containsEntry("title", "T2");
    // pgoutput sends an unchanged TOASTed value as "unchanged"; with REPLICA IDENTITY FULL Debezium takes it from the
    // old tuple, so the placeholder does not reach the event
    assertThat(update.data()).containsEntry("body", body);
    assertThat(update.previousData()).containsEntry("body", body);
  }

  @Test
  void givenRowOverThePayloadLimit_whenInserted_itsWorkflowStartsWithTheKeyButWithoutItsData() throws Exception {
    String tenant = insertTenant("Large Rows plc");
    String item = UUID.randomUUID().toString();
    String body = randomText(1024 * 1024);
    try (Connection c = fixture.connect();
         PreparedStatement insert = c.prepareStatement(
             "INSERT INTO content_items (id, tenant_id, title, body) VALUES (?::uuid, ?::uuid, 'Big', ?)")) {
      insert.setString(1, item);
      insert.setString(2, tenant);
      insert.setString(3, body);
      insert.executeUpdate();
    }

    ChangeEvent create = fixture.awaitEvents(item, 1).get(0);

    assertThat(create.dataOmitted()).isTrue();
    assertThat(create.eventType()).isEqualTo(EventType.CREATE);
    assertThat(create.entityId()).isEqualTo(item);
    assertThat(create.tenantId()).isEqualTo(tenant);
    assertThat(create.version()).isEqualTo(1L);
    assertThat(create.previousData()).isNull();
    assertThat(create.data()).containsOnlyKeys("id", "tenant_id", "message_id", "pg_version")
        .containsEntry("id", item).containsEntry("tenant_id", tenant).containsEntry("message_id", null);
    assertThat(((Number) create.data().get("pg_version")).longValue()).isEqualTo(1L);
  }

  @Test
  void givenCaptureRestart_whenItResumesFromItsOffsets_noChangeGetsASecondWorkflow() throws Exception {
    String tenant = insertTenant("Restart AG");
    List<ChangeEvent> first = fixture.awaitEvents(tenant, 1);

    capture.close();
    assertThat(capture.state()).isEqualTo(CaptureState.STOPPED);
    assertThat(capture.isLeader()).isFalse();
    CaptureMetrics restartedMetrics = new CaptureMetrics();
    capture = new PostgresCapture(fixture.settings().build(), fixture.client, restartedMetrics);
    capture.start();
    fixture.awaitStreaming(capture);
    String later = insertTenant("After Restart AG");

    assertThat(fixture.awaitEvents(later, 1)).hasSize(1);
    assertThat(fixture.syncWorkflows(tenant)).hasSize(1)
        .first().extracting(w -> w.getExecution().getWorkflowId()).isEqualTo(first.get(0).workflowId());
    assertThat(restartedMetrics.malformedRecords()).isZero();
    assertThat(restartedMetrics.failedBatches()).isZero();
  }

  private static String insertTenant(String name) throws SQLException {
    String id = UUID.randomUUID().toString();
    execute("INSERT INTO tenants (id, name) VALUES ('" + id + "', '" + name + "')");
    return id;
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = fixture.connect()) {
      c.createStatement().execute(sql);
    }
  }

  private static long pgVersion(String table, String id) throws SQLException {
    try (Connection c = fixture.connect();
         ResultSet r = c.createStatement().executeQuery(
             "SELECT pg_version FROM " + table + " WHERE id = '" + id + "'")) {
      r.next();
      return r.getLong(1);
    }
  }

  private static String currentXid(Connection c) throws SQLException {
    try (ResultSet r = c.createStatement().executeQuery("SELECT pg_current_xact_id()::text")) {
      r.next();
      return r.getString(1);
    }
  }

  private static String randomText(int length) {
    java.util.Random random = new java.util.Random(42);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) ('!' + random.nextInt(90)));
    }
    return text.toString();
  }

  private static String abbreviate(Object value) {
    String text = String.valueOf(value);
    return text.length() <= 40 ? text : text.substring(0, 40) + "… (" + text.length() + " chars)";
  }
}
