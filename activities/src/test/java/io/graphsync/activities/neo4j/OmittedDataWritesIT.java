package io.graphsync.activities.neo4j;

import static io.graphsync.activities.neo4j.ChangeEvents.create;
import static io.graphsync.activities.neo4j.ChangeEvents.delete;
import static io.graphsync.activities.neo4j.ChangeEvents.row;
import static io.graphsync.activities.neo4j.ChangeEvents.update;
import static io.graphsync.activities.neo4j.TestGraph.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;

/**
 * Changes whose data was left out ({@code dataOmitted}): the graph writer re-reads the row from a real PostgreSQL
 * under a row lock and writes it to a real Neo4j at the position of that read. Every test uses fresh ids.
 */
@ExtendWith(GraphsyncExtension.class)
class OmittedDataWritesIT {

  private static TestGraph testGraph;
  private static GraphProbe graph;
  private static DataSource dataSource;
  private static Sql sql;
  private static GraphWriteActivitiesImpl activities;

  @BeforeAll
  static void connect(Driver driver, Sql migrated) {
    testGraph = TestGraph.connect(driver);
    graph = testGraph.probe;
    sql = migrated;
    dataSource = migrated.dataSource();
    activities = new GraphWriteActivitiesImpl(Neo4jTarget.of(testGraph.driver), ResolvedContextNexus.mapping(),
        new SourceRowReader(dataSource, ResolvedContextNexus.mapping()));
  }

  private static GraphApplyResult apply(ChangeEvent event) {
    return activities.apply(event, 1);
  }

  private static ChangeEvent omittedUpdate(String table, String entityId, long position) {
    return update(table, entityId, position, null).withDataFromSource();
  }

  @Test
  void givenOmittedUpdate_whenApplied_itWritesTheRowsCurrentValuesAtTheEventsPosition() throws SQLException {
    String tenant = insertTenant();
    String id = newId();
    sql.execute("INSERT INTO content_items (id, tenant_id, title, metadata, body, score, tags, created_at) VALUES "
        + "(?::uuid, ?::uuid, 'first', '{\"b\": 1, \"a\": [true]}', 'the body', 12.5, '{graph,sync}', "
        + "'2024-02-29 13:45:00.5+02')", id, tenant);
    sql.execute("UPDATE content_items SET title = 'current' WHERE id = ?::uuid", id);
    long updated = sql.walInsertPosition();

    GraphApplyResult result = apply(omittedUpdate("content_items", id, 20));

    assertThat(result.applied()).isTrue();
    assertThat(result.nodeId()).isNotBlank();
    Map<String, Object> node = graph.node("ContentItem", id).orElseThrow();
    assertThat(node).containsEntry("title", "current").containsEntry("body", "the body")
        .containsEntry("metadata", "{\"a\": [true], \"b\": 1}").containsEntry("score", 12.5)
        .containsEntry("tags", List.of("graph", "sync")).containsEntry("contentType", "text/plain")
        .containsEntry("tenantId", tenant)
        // the version of the data written: the row's, not the change's (20 here)
        .containsEntry("pgVersion", 2L);
    // the position of the locked read: after every change committed before it (the row's update included)
    assertThat((Long) node.get("syncPosition")).isGreaterThanOrEqualTo(updated - 1);
    assertThat(((ZonedDateTime) node.get("createdAt")).toOffsetDateTime())
        .isEqualTo(OffsetDateTime.parse("2024-02-29T11:45:00.5Z"));
    assertThat(graph.relationships(id)).containsExactly("(" + id + ")-[BELONGS_TO {}]->(" + tenant + ")");
  }

  @Test
  void givenOmittedUpdate_whenTheRowIsGone_itChangesNothing() {
    String tenant = newId();
    String id = newId();
    apply(create("threads", id, 10, row("id", id, "tenant_id", tenant, "title", "in the graph")));

    GraphApplyResult result = apply(omittedUpdate("threads", id, 20));

    assertThat(result).isEqualTo(new GraphApplyResult(false, null, 1));
    assertThat(graph.node("Thread", id).orElseThrow())
        .containsEntry("title", "in the graph").containsEntry("syncPosition", 10L);
  }

  @Test
  void givenAChangeAfterTheReread_whenApplied_itKeepsTheNewerNode() throws SQLException {
    String tenant = insertTenant();
    String id = newId();
    sql.execute("INSERT INTO threads (id, tenant_id, title) VALUES (?::uuid, ?::uuid, 'as PostgreSQL has it')", id,
        tenant);
    // a change whose WAL position is past any read now: committed after the re-read would take place
    long later = Long.MAX_VALUE / 2;
    apply(update("threads", id, later, row("id", id, "tenant_id", tenant, "title", "newer change")));

    GraphApplyResult stale = apply(omittedUpdate("threads", id, 20));

    assertThat(stale.applied()).isFalse();
    assertThat(graph.node("Thread", id).orElseThrow())
        .containsEntry("title", "newer change").containsEntry("syncPosition", later);
  }

  @Test
  void givenATransactionOpenOnTheRow_whenARepairRereadsIt_theGraphEndsWithTheCommittedValue() throws Exception {
    String tenant = insertTenant();
    String id = newId();
    sql.execute("INSERT INTO threads (id, tenant_id, title) VALUES (?::uuid, ?::uuid, 'before')", id, tenant);
    long capturedPosition;
    CompletableFuture<GraphApplyResult> repair;
    try (Connection open = dataSource.getConnection()) {
      open.setAutoCommit(false);
      try (PreparedStatement update = open.prepareStatement(
          "UPDATE threads SET title = 'committed after the repair began' WHERE id = ?::uuid")) {
        update.setString(1, id);
        update.executeUpdate();
      }
      // where the capture places this change: before the repair's read
      capturedPosition = Sql.walInsertPosition(open);
      // a reconciliation repair decided now, positioned at the current WAL position (past the open change's record)
      long repairPosition = Sql.walInsertPosition(open) + 1;
      repair = CompletableFuture.supplyAsync(() -> apply(omittedUpdate("threads", id, repairPosition)));
      Await.until("the re-read waits for the open transaction's row lock", Duration.ofSeconds(30), () -> sql.count(
          "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR SHARE'") > 0);
      assertThat(repair).isNotDone();
      open.commit();
    }
    assertThat(repair.get(60, TimeUnit.SECONDS).applied()).isTrue();
    // the capture delivers the committed change afterwards, at its own position
    apply(update("threads", id, capturedPosition, row("id", id, "tenant_id", tenant, "title",
        "committed after the repair began", "pg_version", 2L)));

    assertThat(graph.node("Thread", id).orElseThrow())
        .containsEntry("title", "committed after the repair began").containsEntry("pgVersion", 2L);
  }

  @Test
  void givenToastSizedText_whenItsChangeWasOmitted_itRoundTripsThroughTheReread() throws SQLException {
    String tenant = insertTenant();
    String thread = newId();
    String id = newId();
    String body = randomText(300 * 1024);
    sql.execute("INSERT INTO threads (id, tenant_id, title) VALUES (?::uuid, ?::uuid, 't')", thread, tenant);
    sql.execute("INSERT INTO messages (id, tenant_id, thread_id, body) VALUES (?::uuid, ?::uuid, ?::uuid, ?)",
        id, tenant, thread, body);

    GraphApplyResult result = apply(create("messages", id, 10, null).withDataFromSource());

    assertThat(result.applied()).isTrue();
    assertThat(graph.node("Message", id).orElseThrow().get("body")).isEqualTo(body);
    assertThat(graph.relationships(id)).containsExactly("(" + id + ")-[IN_THREAD {}]->(" + thread + ")");
  }

  @Test
  void givenOmittedJoinTableCreate_whenApplied_itRereadsTheRowByItsCompositeKey() throws SQLException {
    String tenant = insertTenant();
    String item = newId();
    String concept = newId();
    sql.execute("INSERT INTO content_items (id, tenant_id, title) VALUES (?::uuid, ?::uuid, 'item')", item, tenant);
    sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, 'graphs')", concept, tenant);
    sql.execute("INSERT INTO content_item_concepts (content_item_id, concept_id, tenant_id, weight) VALUES "
        + "(?::uuid, ?::uuid, ?::uuid, 0.75)", item, concept, tenant);

    GraphApplyResult result =
        apply(create("content_item_concepts", item + "|" + concept, 10, null).withDataFromSource());

    assertThat(result.applied()).isTrue();
    assertThat(graph.relationship(item, "MENTIONS", concept).orElseThrow())
        .containsEntry("weight", 0.75).containsEntry("tenantId", tenant);
    assertThat((Long) graph.relationship(item, "MENTIONS", concept).orElseThrow().get("syncPosition"))
        .as("the position of the locked re-read, not the event's 10").isGreaterThan(10L);
  }

  @Test
  void givenOmittedDelete_whenApplied_itDeletesWithoutReadingTheRow() throws SQLException {
    String tenant = insertTenant();
    String id = newId();
    // the row is still there: a DELETE never reads it
    sql.execute("INSERT INTO threads (id, tenant_id, title) VALUES (?::uuid, ?::uuid, 'still in PostgreSQL')", id,
        tenant);
    apply(create("threads", id, 10, row("id", id, "tenant_id", tenant, "title", "t")));

    GraphApplyResult deleted = apply(delete("threads", id, 20, row("id", id)).withDataFromSource());

    assertThat(deleted.applied()).isTrue();
    assertThat(graph.nodesWithId(id)).isZero();
    assertThat(graph.tombstone("Thread:" + id)).contains(20L);
  }

  @Test
  void givenOmittedEvent_whenTheWriterHasNoReader_itFailsWithoutRetry() {
    String id = newId();

    assertThatThrownBy(() -> testGraph.apply(omittedUpdate("threads", id, 10)))
        .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(FailureType.INVALID_DATA.type());
          assertThat(failure.isNonRetryable()).isTrue();
          assertThat(failure.getOriginalMessage()).contains("SourceRowReader", "dataOmitted");
        });
    assertThat(graph.nodesWithId(id)).isZero();
  }

  @Test
  void givenOmittedUpdateWithMalformedKey_whenApplied_itFailsWithoutRetry() {
    assertThatThrownBy(() -> apply(omittedUpdate("threads", "not-a-uuid", 10)))
        .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(FailureType.INVALID_DATA.type());
          assertThat(failure.isNonRetryable()).isTrue();
        });
  }

  private static String insertTenant() throws SQLException {
    String id = newId();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'tenant')", id);
    return id;
  }

  private static String randomText(int length) {
    Random random = new Random(7);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) ('!' + random.nextInt(90)));
    }
    return text.toString();
  }
}
