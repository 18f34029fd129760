package io.graphsync.activities.bulk;

import static io.graphsync.activities.neo4j.TestGraph.newId;
import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import io.graphsync.activities.neo4j.GraphProbe;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.neo4j.TestGraph;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.bulk.BackfillPageRequest;
import io.graphsync.workflows.bulk.BackfillPageResult;
import io.graphsync.workflows.bulk.BackfillPlan;
import io.graphsync.workflows.bulk.BackfillRequest;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;

/**
 * Backfill pages against a real PostgreSQL and a real Neo4j: rows that exist before any capture reach the graph in
 * batches, with their relationships and their rows marked SUCCESS; the page's position never hides a change
 * committed after its read. Each test works on its own tenant.
 */
@ExtendWith(GraphsyncExtension.class)
class BackfillActivitiesIT {

  private static TestGraph testGraph;
  private static GraphProbe graph;
  private static DataSource dataSource;
  private static Sql sql;
  private static BackfillActivitiesImpl backfill;

  @BeforeAll
  static void connect(Driver driver, Sql migrated) {
    testGraph = TestGraph.connect(driver);
    graph = testGraph.probe;
    sql = migrated;
    dataSource = migrated.dataSource();
    backfill = new BackfillActivitiesImpl(dataSource, Neo4jTarget.of(testGraph.driver), ResolvedContextNexus.mapping());
  }

  @Test
  void givenExistingRowsOfATenant_whenBackfilledInSmallPages_theGraphHasThemAllAndTheRowsAreSuccess()
      throws SQLException {
    String tenant = insertTenant();
    String otherTenant = insertTenant();
    List<String> concepts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      concepts.add(insertConcept(tenant, "concept " + i));
    }
    String foreignConcept = insertConcept(otherTenant, "not this tenant's");
    String item = newId();
    sql.execute("INSERT INTO content_items (id, tenant_id, title, score, tags) VALUES (?::uuid, ?::uuid, 'item', 1.5, "
        + "'{a,b}')", item, tenant);
    sql.execute("INSERT INTO content_item_concepts (content_item_id, concept_id, tenant_id, weight) VALUES "
        + "(?::uuid, ?::uuid, ?::uuid, 0.5)", item, concepts.get(0), tenant);

    BackfillPlan plan = backfill.planBackfill(new BackfillRequest(null, tenant, null, null, 2, null));
    assertThat(plan.tables()).containsExactly("tenants", "users", "threads", "messages", "content_items",
        "concepts", "content_item_concepts", "concept_relations");
    assertThat(plan.rowCounts()).containsExactly(1L, 0L, 0L, 0L, 1L, 5L, 1L, 0L);
    long rows = 0;
    for (String table : plan.tables()) {
      rows += loadAll(table, tenant, 2).counts().rows();
    }

    assertThat(rows).isEqualTo(8);
    assertThat(graph.node("Tenant", tenant).orElseThrow()).containsEntry("tenantId", tenant);
    for (int i = 0; i < 5; i++) {
      assertThat(graph.node("Concept", concepts.get(i)).orElseThrow())
          .containsEntry("name", "concept " + i).containsEntry("pgVersion", 1L);
      assertThat(graph.relationships(concepts.get(i))).contains("(" + concepts.get(i) + ")-[BELONGS_TO {}]->("
          + tenant + ")");
    }
    assertThat(graph.node("ContentItem", item).orElseThrow()).containsEntry("score", 1.5)
        .containsEntry("tags", List.of("a", "b"));
    assertThat(graph.relationship(item, "MENTIONS", concepts.get(0)).orElseThrow()).containsEntry("weight", 0.5);
    assertThat(graph.node("Concept", foreignConcept)).isEmpty();
    assertThat(status("concepts", concepts.get(3))).isEqualTo("SUCCESS");
    assertThat(nodeIdColumn("concepts", concepts.get(3))).isNotBlank();
    assertThat(status("concepts", foreignConcept)).isEqualTo("PENDING");
  }

  @Test
  void givenABackfilledTable_whenBackfilledAgain_theGraphIsTheSame() throws SQLException {
    String tenant = insertTenant();
    String concept = insertConcept(tenant, "once");
    loadAll("concepts", tenant, 10);
    Map<String, Object> first = graph.node("Concept", concept).orElseThrow();

    BackfillPageResult again = loadAll("concepts", tenant, 10);

    assertThat(again.counts().rows()).isEqualTo(1);
    assertThat(graph.nodesWithId(concept)).isEqualTo(1);
    Map<String, Object> second = graph.node("Concept", concept).orElseThrow();
    assertThat(second).containsEntry("name", "once").containsEntry("pgVersion", first.get("pgVersion"));
    assertThat(graph.relationships(concept)).hasSize(1);
  }

  @Test
  void givenANewerChangeAlreadyInTheGraph_whenBackfilled_itKeepsTheNewerChange() throws SQLException {
    String tenant = insertTenant();
    String concept = insertConcept(tenant, "as the page reads it");
    Map<String, Object> newer = new LinkedHashMap<>(Map.of("id", concept, "tenant_id", tenant, "name",
        "a later change", "pg_version", 7L));
    testGraph.apply(ChangeEvent.builder(EventSource.POSTGRES, EventType.UPDATE).entity("concepts", "Concept", concept)
        .tenantId(tenant).correlationId("t").timestamp(Instant.now()).data(newer).version(7L)
        .position(Long.MAX_VALUE / 2).build());

    BackfillPageResult result = loadAll("concepts", tenant, 10);

    assertThat(result.counts().stale()).isEqualTo(1);
    assertThat(result.counts().applied()).isZero();
    assertThat(graph.node("Concept", concept).orElseThrow()).containsEntry("name", "a later change")
        .containsEntry("syncPosition", Long.MAX_VALUE / 2);
  }

  @Test
  void givenATransactionOpenAcrossThePageRead_whenItCommitsAfterwards_theGraphEndsWithTheCommittedValue()
      throws Exception {
    String tenant = insertTenant();
    String concept = insertConcept(tenant, "before");
    long capturedPosition;
    CompletableFuture<BackfillPageResult> page;
    try (Connection open = dataSource.getConnection()) {
      open.setAutoCommit(false);
      try (PreparedStatement update = open.prepareStatement(
          "UPDATE concepts SET name = 'committed after the read' WHERE id = ?::uuid")) {
        update.setString(1, concept);
        update.executeUpdate();
      }
      // where the capture would place this change: its WAL record is written now, before the page's read
      capturedPosition = Sql.walInsertPosition(open);
      page = CompletableFuture.supplyAsync(() -> loadAll("concepts", tenant, 10));
      Await.until("the page waits for the open transaction's row lock", Duration.ofSeconds(30), () -> sql.count(
          "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR SHARE'") > 0);
      assertThat(page).isNotDone();
      open.commit();
    }
    BackfillPageResult result = page.get(60, TimeUnit.SECONDS);
    // the capture delivers the committed change afterwards, at its own position
    Map<String, Object> committed = new LinkedHashMap<>(Map.of("id", concept, "tenant_id", tenant, "name",
        "committed after the read", "pg_version", 2L));
    testGraph.apply(ChangeEvent.builder(EventSource.POSTGRES, EventType.UPDATE).entity("concepts", "Concept", concept)
        .tenantId(tenant).correlationId("t").timestamp(Instant.now()).data(committed).version(2L)
        .position(capturedPosition).build());

    assertThat(result.counts().applied()).isEqualTo(1);
    assertThat(graph.node("Concept", concept).orElseThrow())
        .containsEntry("name", "committed after the read").containsEntry("pgVersion", 2L);
    assertThat((Long) graph.node("Concept", concept).orElseThrow().get("syncPosition"))
        .isGreaterThan(capturedPosition);
    assertThat(status("concepts", concept)).isEqualTo("SUCCESS");
  }

  @Test
  void givenARowThatCannotBeWritten_whenBackfilled_itIsHandedOnAndTheOthersAreWritten() throws SQLException {
    String tenant = insertTenant();
    String good = newId();
    String bad = newId();
    sql.execute("INSERT INTO content_items (id, tenant_id, title) VALUES (?::uuid, ?::uuid, 'fine')", good, tenant);
    // a two-dimensional array: valid in PostgreSQL, not supported in the graph
    sql.execute("INSERT INTO content_items (id, tenant_id, title, tags) VALUES (?::uuid, ?::uuid, 'bad', "
        + "'{{a,b},{c,d}}')", bad, tenant);

    BackfillPageResult result = loadAll("content_items", tenant, 10);

    assertThat(result.counts().rows()).isEqualTo(2);
    assertThat(result.counts().failed()).isEqualTo(1);
    assertThat(result.failed()).singleElement().satisfies(event -> {
      assertThat(event.entityId()).isEqualTo(bad);
      assertThat(event.dataOmitted()).isTrue();
      assertThat(event.source()).isEqualTo(EventSource.BACKFILL);
      assertThat(event.workflowId()).startsWith("sync/ContentItem/" + bad + "/");
    });
    assertThat(graph.node("ContentItem", good)).isPresent();
    assertThat(graph.node("ContentItem", bad)).isEmpty();
    assertThat(status("content_items", good)).isEqualTo("SUCCESS");
    assertThat(status("content_items", bad)).isEqualTo("PENDING");
  }

  /** Loads one table of a tenant completely, a few pages per call, as the workflow would. */
  private static BackfillPageResult loadAll(String table, String tenant, int pageSize) {
    String after = null;
    BackfillPageResult total = null;
    List<ChangeEvent> failed = new ArrayList<>();
    while (true) {
      BackfillPageResult result = backfill.load(new BackfillPageRequest(table, tenant, after, null, null, pageSize,
          2), after, cursor -> { });
      failed.addAll(result.failed());
      total = total == null ? result : new BackfillPageResult(total.counts().plus(result.counts()),
          result.nextKey(), result.done(), failed);
      if (result.done()) {
        return new BackfillPageResult(total.counts(), total.nextKey(), true, failed);
      }
      after = result.nextKey();
    }
  }

  private static String insertTenant() throws SQLException {
    String id = newId();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'backfill tenant')", id);
    return id;
  }

  private static String insertConcept(String tenant, String name) throws SQLException {
    String id = newId();
    sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, ?)", id, tenant, name);
    return id;
  }

  private static String status(String table, String id) throws SQLException {
    return column(table, id, "sync_status");
  }

  private static String nodeIdColumn(String table, String id) throws SQLException {
    return column(table, id, "neo4j_node_id");
  }

  private static String column(String table, String id, String column) throws SQLException {
    return sql.text("SELECT " + column + " FROM " + table + " WHERE id = ?::uuid", id);
  }
}
