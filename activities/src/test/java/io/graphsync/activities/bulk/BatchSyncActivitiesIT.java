package io.graphsync.activities.bulk;

import static io.graphsync.activities.neo4j.ChangeEvents.create;
import static io.graphsync.activities.neo4j.ChangeEvents.delete;
import static io.graphsync.activities.neo4j.ChangeEvents.row;
import static io.graphsync.activities.neo4j.ChangeEvents.update;
import static io.graphsync.activities.neo4j.TestGraph.newId;
import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import io.graphsync.activities.neo4j.CypherStatement;
import io.graphsync.activities.neo4j.CypherStatements;
import io.graphsync.activities.neo4j.GraphProbe;
import io.graphsync.activities.neo4j.MutationPlanner;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.neo4j.TestGraph;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.bulk.BatchItemResult;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.SyncStatus;
import io.graphsync.workflows.sync.SyncStatusUpdate;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.Transaction;

/**
 * A sync batch against a real Neo4j and PostgreSQL: one transaction of UNWIND statements with the per-change guards,
 * the latest change per entity, bad data reported per change, and the guarded write-back of many rows.
 */
@ExtendWith(GraphsyncExtension.class)
class BatchSyncActivitiesIT {

  private static TestGraph testGraph;
  private static GraphProbe graph;
  private static Sql sql;
  private static BatchSyncActivitiesImpl batches;

  @BeforeAll
  static void connect(Driver driver, Sql migrated) {
    testGraph = TestGraph.connect(driver);
    graph = testGraph.probe;
    sql = migrated;
    batches = new BatchSyncActivitiesImpl(sql.dataSource(), Neo4jTarget.of(testGraph.driver),
        ResolvedContextNexus.mapping());
  }

  @Test
  void givenABatchOfMixedChanges_whenApplied_theGraphEndsAsIfEachWereAppliedAlone() {
    String tenant = newId();
    String kept = newId();
    String deleted = newId();
    String item = newId();
    String stale = newId();
    testGraph.apply(update("concepts", stale, 500, row("id", stale, "tenant_id", tenant, "name", "newer")));
    List<ChangeEvent> events = List.of(
        create("tenants", tenant, 100, row("id", tenant, "name", "acme")),
        create("concepts", kept, 101, row("id", kept, "tenant_id", tenant, "name", "first")),
        update("concepts", kept, 102, row("id", kept, "tenant_id", tenant, "name", "second")),
        create("concepts", deleted, 103, row("id", deleted, "tenant_id", tenant, "name", "gone soon")),
        delete("concepts", deleted, 104, row("id", deleted, "tenant_id", tenant)),
        create("content_items", item, 105, row("id", item, "tenant_id", tenant, "title", "doc", "tags",
            List.of("a"))),
        create("content_item_concepts", item + "|" + kept, 106, row("content_item_id", item, "concept_id", kept,
            "tenant_id", tenant, "weight", "0.5000")),
        update("concepts", stale, 107, row("id", stale, "tenant_id", tenant, "name", "older")));

    List<BatchItemResult> results = batches.apply(events, 1);

    assertThat(results).extracting(BatchItemResult::applied)
        .containsExactly(true, false, true, false, true, true, true, false);
    assertThat(results).allSatisfy(result -> assertThat(result.failed()).isFalse());
    assertThat(results.get(2).nodeId()).isNotBlank();
    assertThat(graph.node("Concept", kept).orElseThrow()).containsEntry("name", "second")
        .containsEntry("syncPosition", 102L);
    assertThat(graph.node("Concept", deleted)).isEmpty();
    assertThat(graph.tombstone("Concept:" + deleted)).contains(104L);
    assertThat(graph.relationship(item, "MENTIONS", kept).orElseThrow()).containsEntry("weight", 0.5);
    assertThat(graph.relationships(kept)).contains("(" + kept + ")-[BELONGS_TO {}]->(" + tenant + ")");
    assertThat(graph.node("Concept", stale).orElseThrow()).containsEntry("name", "newer");

    // the same batch again: nothing changes
    assertThat(batches.apply(events, 2)).extracting(BatchItemResult::applied).containsOnly(false);
  }

  @Test
  void givenDeletesOfJoinRowsSharingAnEndpointAbsentFromTheGraph_whenApplied_eachIsTombstonedAndNothingFails() {
    // a concept deleted with its join rows (a cascade) while the graph never had the concept: each delete row meets
    // the same absent endpoint, which a single statement creates to lock and removes again
    String tenant = newId();
    String concept = newId();
    String item1 = newId();
    String item2 = newId();
    String other = newId();
    List<ChangeEvent> events = List.of(
        delete("content_item_concepts", item1 + "|" + concept, 300, row("content_item_id", item1, "concept_id",
            concept, "tenant_id", tenant)),
        delete("content_item_concepts", item2 + "|" + concept, 301, row("content_item_id", item2, "concept_id",
            concept, "tenant_id", tenant)),
        create("content_item_concepts", item1 + "|" + other, 302, row("content_item_id", item1, "concept_id",
            other, "tenant_id", tenant, "weight", "0.5000")));

    List<BatchItemResult> results = batches.apply(events, 1);

    assertThat(results).allSatisfy(result -> assertThat(result.failed()).isFalse());
    assertThat(graph.tombstone("MENTIONS:" + item1 + "|" + concept)).contains(300L);
    assertThat(graph.tombstone("MENTIONS:" + item2 + "|" + concept)).contains(301L);
    assertThat(graph.nodesWithId(item2)).as("no node left behind by a lock").isZero();
    assertThat(graph.relationship(item1, "MENTIONS", other)).isPresent();
  }

  @Test
  void givenADeleteUncommitted_whenABatchReinsertsTheKey_theNodeEndsPresent() throws Exception {
    String tenant = newId();
    String id = newId();
    testGraph.apply(create("threads", id, 10, row("id", id, "tenant_id", tenant, "title", "first life")));
    CypherStatement deleting = CypherStatements.of(new MutationPlanner(ResolvedContextNexus.mapping())
        .plan(delete("threads", id, 20, row("id", id, "tenant_id", tenant))));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    List<BatchItemResult> results;
    try (Session session = testGraph.driver.session(); Transaction holding = session.beginTransaction()) {
      holding.run(deleting.text(), deleting.parameters()).consume();
      Future<List<BatchItemResult>> batch = pool.submit(() -> batches.apply(List.of(
          create("threads", id, 30, row("id", id, "tenant_id", tenant, "title", "second life"))), 1));
      Await.staysTrue("the batch waits for the delete's lock", Duration.ofSeconds(1), () -> !batch.isDone());
      holding.commit();
      results = batch.get(1, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }

    assertThat(results).singleElement().satisfies(result -> assertThat(result.applied()).isTrue());
    assertThat(graph.node("Thread", id).orElseThrow()).containsEntry("title", "second life")
        .containsEntry("syncPosition", 30L);
  }

  @Test
  void givenAChangeWithBadData_whenApplied_itIsReportedAndTheOthersAreWritten() {
    String tenant = newId();
    String good = newId();
    String bad = newId();
    List<ChangeEvent> events = List.of(
        create("content_items", good, 200, row("id", good, "tenant_id", tenant, "title", "fine")),
        create("content_items", bad, 201, row("id", bad, "tenant_id", tenant, "title", "bad", "score",
            "not a number")));

    List<BatchItemResult> results = batches.apply(events, 1);

    assertThat(results.get(0).applied()).isTrue();
    assertThat(results.get(1).failed()).isTrue();
    assertThat(results.get(1).error()).contains("score");
    assertThat(graph.node("ContentItem", good)).isPresent();
    assertThat(graph.node("ContentItem", bad)).isEmpty();
  }

  @Test
  void givenManyRows_whenTheirStatusIsRecorded_onlyTheSyncedVersionIsMarked() throws SQLException {
    String tenant = newId();
    String synced = newId();
    String changedSince = newId();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 't')", tenant);
    sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, 'one')", synced, tenant);
    sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, 'one')", changedSince, tenant);
    sql.execute("UPDATE concepts SET name = 'two' WHERE id = ?::uuid", changedSince); // now at pg_version 2

    int marked = batches.recordBatchSyncStatus(List.of(
        new SyncStatusUpdate("concepts", synced, 1, SyncStatus.SUCCESS, 1, null, "4:abc:1"),
        new SyncStatusUpdate("concepts", changedSince, 1, SyncStatus.SUCCESS, 1, null, "4:abc:2"),
        new SyncStatusUpdate("tenants", tenant, 1, SyncStatus.SUCCESS, 1, null, null)));

    assertThat(marked).isEqualTo(2);
    assertThat(column("concepts", synced, "sync_status")).isEqualTo("SUCCESS");
    assertThat(column("concepts", synced, "neo4j_node_id")).isEqualTo("4:abc:1");
    assertThat(column("concepts", changedSince, "sync_status")).isEqualTo("PENDING");
    assertThat(column("concepts", changedSince, "pg_version")).isEqualTo("2");
    assertThat(column("tenants", tenant, "sync_status")).isEqualTo("SUCCESS");
  }

  private static String column(String table, String id, String column) throws SQLException {
    return sql.text("SELECT " + column + " FROM " + table + " WHERE id = ?::uuid", id);
  }
}
