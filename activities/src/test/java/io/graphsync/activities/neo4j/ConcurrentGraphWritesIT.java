package io.graphsync.activities.neo4j;

import static io.graphsync.activities.neo4j.ChangeEvents.create;
import static io.graphsync.activities.neo4j.ChangeEvents.delete;
import static io.graphsync.activities.neo4j.ChangeEvents.row;
import static io.graphsync.activities.neo4j.ChangeEvents.update;
import static io.graphsync.activities.neo4j.TestGraph.newId;
import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.GraphApplyResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
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
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * Changes of one entity run as separate workflows, so their transactions can overlap: the order guard must hold
 * under concurrency too, not only one event after the other. The shuffled-load tests are smoke tests (the race
 * window inside one statement is tiny); the held-lock test pins the race down deterministically.
 */
@ExtendWith(GraphsyncExtension.class)
class ConcurrentGraphWritesIT {

  private static final int CHANGES = 40;
  private static final int THREADS = 8;

  private static TestGraph testGraph;

  @BeforeAll
  static void connect(Driver driver) {
    testGraph = TestGraph.connect(driver);
  }

  @Test
  void givenConcurrentUpdatesOfOneNode_whenAppliedInAnyOrder_itEndsWithTheNewest() throws Exception {
    String tenant = newId();
    String id = newId();
    List<ChangeEvent> events = new ArrayList<>();
    for (int position = 1; position <= CHANGES; position++) {
      events.add(update("threads", id, position, row("id", id, "tenant_id", tenant, "title", "v" + position)));
    }

    applyConcurrently(events);

    assertThat(testGraph.probe.nodesWithId(id)).isEqualTo(1);
    assertThat(testGraph.probe.node("Thread", id).orElseThrow())
        .containsEntry("title", "v" + CHANGES).containsEntry("syncPosition", (long) CHANGES);
  }

  @Test
  void givenConcurrentUpdatesAndANewestDelete_whenAppliedInAnyOrder_itEndsDeleted() throws Exception {
    String tenant = newId();
    String id = newId();
    List<ChangeEvent> events = new ArrayList<>();
    for (int position = 1; position < CHANGES; position++) {
      events.add(update("threads", id, position, row("id", id, "tenant_id", tenant, "title", "v" + position)));
    }
    events.add(delete("threads", id, CHANGES, row("id", id)));

    applyConcurrently(events);

    assertThat(testGraph.probe.nodesWithId(id)).isZero();
    assertThat(testGraph.probe.tombstone("Thread:" + id)).contains((long) CHANGES);
  }

  /**
   * Deterministic version of the race: a newer change holds the node in an open transaction while an older one
   * arrives. The older one must wait for the lock before it reads the order key, or it would decide on the old
   * committed position and then overwrite the newer change once the lock is released (a lost update).
   */
  @Test
  void givenNewerChangeUncommitted_whenAnOlderChangeArrives_itWaitsAndThenSeesTheNewerPosition() throws Exception {
    String tenant = newId();
    String id = newId();
    testGraph.apply(update("threads", id, 10, row("id", id, "tenant_id", tenant, "title", "v10")));
    CypherStatement newer = CypherStatements.of(new MutationPlanner(ResolvedContextNexus.mapping())
        .plan(update("threads", id, 50, row("id", id, "tenant_id", tenant, "title", "v50"))));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Session session = testGraph.driver.session(); Transaction holding = session.beginTransaction()) {
      holding.run(newer.text(), newer.parameters()).consume();
      Future<GraphApplyResult> older = pool.submit(() -> testGraph.apply(
          update("threads", id, 40, row("id", id, "tenant_id", tenant, "title", "v40"))));
      Await.staysTrue("the older change waits for the node's lock", Duration.ofSeconds(1), () -> !older.isDone());

      holding.commit();

      assertThat(older.get(1, TimeUnit.MINUTES).applied()).isFalse();
    } finally {
      pool.shutdownNow();
    }
    assertThat(testGraph.probe.node("Thread", id).orElseThrow())
        .containsEntry("title", "v50").containsEntry("syncPosition", 50L);
  }

  /**
   * The fault run's finding: a delete holds the node in an open transaction while the newer re-insert of the same key
   * arrives and waits for the node's lock; the delete then removes the node and commits. The re-insert, newest of
   * all, must end present, not judged stale on the node that vanished under it.
   */
  @Test
  void givenADeleteUncommitted_whenANewerReinsertWaitsForTheNode_itEndsPresent() throws Exception {
    String tenant = newId();
    String id = newId();
    testGraph.apply(create("threads", id, 10, row("id", id, "tenant_id", tenant, "title", "first life")));
    CypherStatement delete = CypherStatements.of(new MutationPlanner(ResolvedContextNexus.mapping())
        .plan(delete("threads", id, 20, row("id", id, "tenant_id", tenant))));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    GraphApplyResult reinserted;
    try (Session session = testGraph.driver.session(); Transaction holding = session.beginTransaction()) {
      holding.run(delete.text(), delete.parameters()).consume();
      Future<GraphApplyResult> reinsert = pool.submit(() -> testGraph.apply(
          create("threads", id, 30, row("id", id, "tenant_id", tenant, "title", "second life"))));
      Await.staysTrue("the re-insert waits for the node's lock", Duration.ofSeconds(1), () -> !reinsert.isDone());

      holding.commit();

      reinserted = reinsert.get(1, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
    assertThat(testGraph.probe.node("Thread", id)).as("the newest change is a re-insert").isPresent();
    assertThat(testGraph.probe.node("Thread", id).orElseThrow())
        .containsEntry("title", "second life").containsEntry("syncPosition", 30L);
    assertThat(reinserted.applied()).isTrue();
  }

  /** Applies the events in a shuffled order from several threads; a failed attempt is retried, as Temporal would. */
  private static void applyConcurrently(List<ChangeEvent> events) throws Exception {
    List<ChangeEvent> shuffled = new ArrayList<>(events);
    Collections.shuffle(shuffled, new Random(42));
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (ChangeEvent event : shuffled) {
        futures.add(pool.submit(() -> applyWithRetries(event)));
      }
      for (Future<?> future : futures) {
        future.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void applyWithRetries(ChangeEvent event) {
    for (int attempt = 1; ; attempt++) {
      try {
        testGraph.activities.apply(event, attempt);
        return;
      } catch (Neo4jException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }
}
