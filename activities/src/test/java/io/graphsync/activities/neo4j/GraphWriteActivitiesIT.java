package io.graphsync.activities.neo4j;

import static io.graphsync.activities.neo4j.ChangeEvents.create;
import static io.graphsync.activities.neo4j.ChangeEvents.delete;
import static io.graphsync.activities.neo4j.ChangeEvents.row;
import static io.graphsync.activities.neo4j.ChangeEvents.update;
import static io.graphsync.activities.neo4j.TestGraph.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.graphsync.workflows.sync.GraphWriteActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;

/** The graph invariants of entity tables against a real Neo4j. Every test uses fresh ids and looks only at them. */
@ExtendWith(GraphsyncExtension.class)
class GraphWriteActivitiesIT {

  private static TestGraph testGraph;
  private static GraphProbe graph;

  @BeforeAll
  static void connect(Driver driver) {
    testGraph = TestGraph.connect(driver);
    graph = testGraph.probe;
  }

  private static GraphApplyResult apply(ChangeEvent event) {
    return testGraph.apply(event);
  }

  private static Map<String, Object> thread(String id, String tenantId, String title) {
    return row("id", id, "tenant_id", tenantId, "created_by", null, "title", title,
        "created_at", "2025-01-01T10:00:00Z", "pg_version", 1L, "sync_status", "PENDING");
  }

  private static Map<String, Object> message(String id, String tenantId, String threadId, String body) {
    return row("id", id, "tenant_id", tenantId, "thread_id", threadId, "author_id", null, "body", body,
        "sent_at", "2025-01-01T10:00:00Z");
  }

  private static Map<String, Object> contentItem(String id, String tenantId, String title, Object body) {
    return row("id", id, "tenant_id", tenantId, "message_id", null, "title", title, "content_type", "text/plain",
        "metadata", "{\"a\": 1}", "body", body, "score", "0.5000", "tags", List.of("x", "y"),
        "created_at", "2025-01-01T10:00:00Z");
  }

  @Test
  void givenCreate_whenApplied_itWritesKeySyncAndMappedProperties() {
    String tenant = newId();
    String id = newId();

    GraphApplyResult result = apply(create("content_items", id, 10, contentItem(id, tenant, "Title", "Body")));

    assertThat(result.applied()).isTrue();
    assertThat(result.nodeId()).isNotBlank();
    assertThat(result.attempt()).isEqualTo(1);
    Map<String, Object> node = graph.node("ContentItem", id).orElseThrow();
    assertThat(node).containsEntry("id", id).containsEntry("pgId", id).containsEntry("tenantId", tenant)
        .containsEntry("pgVersion", 10L).containsEntry("neo4jVersion", 0L).containsEntry("syncPosition", 10L)
        .containsEntry("title", "Title").containsEntry("contentType", "text/plain").containsEntry("body", "Body")
        .containsEntry("score", 0.5).containsEntry("metadata", "{\"a\": 1}")
        .containsEntry("tags", List.of("x", "y"));
    assertThat(node.get("createdAt")).isInstanceOf(ZonedDateTime.class);
    assertThat(((ZonedDateTime) node.get("createdAt")).toOffsetDateTime())
        .isEqualTo(OffsetDateTime.parse("2025-01-01T10:00:00Z"));
    assertThat(node.get("lastSyncedAt")).isInstanceOf(ZonedDateTime.class);
    assertThat(node).doesNotContainKeys("tenant_id", "message_id", "pg_version", "placeholder", "graphsyncNew",
        "graphsyncLock", "content_type", "created_at");
    assertThat(graph.relationships(id)).containsExactly("(" + id + ")-[BELONGS_TO {}]->(" + tenant + ")");
  }

  @Test
  void givenNewerUpdate_whenOlderUpdateArrives_itKeepsTheNewer() {
    String tenant = newId();
    String threadA = newId();
    String threadB = newId();
    String id = newId();
    apply(update("messages", id, 20, message(id, tenant, threadB, "newer")));

    GraphApplyResult older = apply(update("messages", id, 10, message(id, tenant, threadA, "older")));

    assertThat(older.applied()).isFalse();
    assertThat(older.nodeId()).isNull();
    assertThat(graph.node("Message", id).orElseThrow())
        .containsEntry("body", "newer").containsEntry("syncPosition", 20L);
    assertThat(graph.relationships(id)).containsExactly("(" + id + ")-[IN_THREAD {}]->(" + threadB + ")");
    assertThat(graph.nodesWithId(threadA)).isZero();
  }

  @Test
  void givenSameEventTwice_whenApplied_itLeavesTheSameGraph() {
    String tenant = newId();
    String thread = newId();
    String id = newId();
    ChangeEvent event = create("messages", id, 10, message(id, tenant, thread, "hello"));
    GraphApplyResult first = apply(event);
    Map<String, Object> nodeAfterFirst = graph.node("Message", id).orElseThrow();
    var relationshipsAfterFirst = graph.relationships(id);
    Map<String, Object> threadAfterFirst = graph.node("Thread", thread).orElseThrow();

    GraphApplyResult second = apply(event);

    assertThat(first.applied()).isTrue();
    assertThat(second.applied()).isFalse();
    assertThat(graph.node("Message", id)).contains(nodeAfterFirst);
    assertThat(graph.relationships(id)).isEqualTo(relationshipsAfterFirst).hasSize(1);
    assertThat(graph.node("Thread", thread)).contains(threadAfterFirst);
  }

  @Test
  void givenDelete_whenLateUpdateArrives_itStaysDeleted() {
    String tenant = newId();
    String id = newId();
    apply(create("threads", id, 10, thread(id, tenant, "first")));
    GraphApplyResult deleted = apply(delete("threads", id, 30, thread(id, tenant, "first")));

    GraphApplyResult late = apply(update("threads", id, 20, thread(id, tenant, "late")));

    assertThat(deleted.applied()).isTrue();
    assertThat(late.applied()).isFalse();
    assertThat(graph.nodesWithId(id)).isZero();
    assertThat(graph.tombstone("Thread:" + id)).contains(30L);
  }

  @Test
  void givenDelete_whenReinsertedWithHigherPosition_itEndsPresent() {
    String tenant = newId();
    String id = newId();
    apply(create("threads", id, 10, thread(id, tenant, "first")));
    apply(delete("threads", id, 20, row("id", id)));

    GraphApplyResult reinserted = apply(create("threads", id, 30, thread(id, tenant, "again")));

    assertThat(reinserted.applied()).isTrue();
    assertThat(graph.node("Thread", id).orElseThrow())
        .containsEntry("title", "again").containsEntry("syncPosition", 30L);
    assertThat(graph.tombstone("Thread:" + id)).isEmpty();
    assertThat(apply(update("threads", id, 15, thread(id, tenant, "stale"))).applied()).isFalse();
    assertThat(graph.node("Thread", id).orElseThrow()).containsEntry("title", "again");
  }

  @Test
  void givenDeleteWithoutPreviousData_whenApplied_itDeletesByEntityId() {
    String tenant = newId();
    String id = newId();
    apply(create("threads", id, 10, thread(id, tenant, "first")));

    GraphApplyResult deleted = apply(delete("threads", id, 20, null));

    assertThat(deleted.applied()).isTrue();
    assertThat(graph.nodesWithId(id)).isZero();
  }

  @Test
  void givenDeleteBeforeCreate_whenCreateArrivesLate_itLeavesNoNode() {
    String tenant = newId();
    String id = newId();

    GraphApplyResult deleted = apply(delete("threads", id, 20, row("id", id)));
    GraphApplyResult created = apply(create("threads", id, 10, thread(id, tenant, "too late")));

    assertThat(deleted.applied()).isTrue();
    assertThat(created.applied()).isFalse();
    assertThat(graph.nodesWithId(id)).isZero();
    assertThat(graph.tombstone("Thread:" + id)).contains(20L);
  }

  @Test
  void givenNewerUpdate_whenOlderDeleteArrives_itKeepsTheNode() {
    String tenant = newId();
    String id = newId();
    apply(create("threads", id, 30, thread(id, tenant, "newer")));

    GraphApplyResult staleDelete = apply(delete("threads", id, 20, row("id", id)));

    assertThat(staleDelete.applied()).isFalse();
    assertThat(graph.node("Thread", id)).isPresent();
    assertThat(graph.tombstone("Thread:" + id)).isEmpty();
  }

  @Test
  void givenForeignKeyChange_whenApplied_itMovesTheRelationship() {
    String tenant = newId();
    String threadA = newId();
    String threadB = newId();
    String id = newId();
    apply(create("threads", threadA, 1, thread(threadA, tenant, "A")));
    apply(create("threads", threadB, 2, thread(threadB, tenant, "B")));
    apply(create("messages", id, 10, message(id, tenant, threadA, "hi")));

    apply(update("messages", id, 20, message(id, tenant, threadB, "hi")));

    assertThat(graph.relationships(id)).containsExactly("(" + id + ")-[IN_THREAD {}]->(" + threadB + ")");
    assertThat(graph.relationships(threadA)).contains("(" + threadA + ")-[BELONGS_TO {}]->(" + tenant + ")")
        .noneMatch(r -> r.contains("IN_THREAD"));
  }

  @Test
  void givenForeignKeySetToNull_whenApplied_itRemovesTheRelationship() {
    String tenant = newId();
    String author = newId();
    String thread = newId();
    String id = newId();
    Map<String, Object> withAuthor = message(id, tenant, thread, "hi");
    withAuthor.put("author_id", author);
    apply(create("messages", id, 10, withAuthor));
    assertThat(graph.relationships(id)).contains("(" + author + ")-[AUTHORED {}]->(" + id + ")");

    apply(update("messages", id, 20, message(id, tenant, thread, "hi")));

    assertThat(graph.relationships(id)).containsExactly("(" + id + ")-[IN_THREAD {}]->(" + thread + ")");
  }

  @Test
  void givenMissingTarget_whenReferenced_itMakesAPlaceholderThatTheTargetsSyncCompletes() {
    String tenant = newId();
    String thread = newId();
    String first = newId();
    String second = newId();
    apply(create("messages", first, 10, message(first, tenant, thread, "one")));
    apply(create("messages", second, 11, message(second, tenant, thread, "two")));
    assertThat(graph.node("Thread", thread).orElseThrow())
        .containsEntry("placeholder", true).containsEntry("pgId", thread).doesNotContainKey("syncPosition");

    GraphApplyResult completed = apply(create("threads", thread, 5, thread(thread, tenant, "the thread")));

    assertThat(completed.applied()).isTrue();
    assertThat(graph.nodesWithId(thread)).isEqualTo(1);
    assertThat(graph.node("Thread", thread).orElseThrow())
        .doesNotContainKey("placeholder").containsEntry("title", "the thread").containsEntry("syncPosition", 5L)
        .containsEntry("neo4jVersion", 0L);
    assertThat(graph.relationships(thread)).contains(
        "(" + first + ")-[IN_THREAD {}]->(" + thread + ")",
        "(" + second + ")-[IN_THREAD {}]->(" + thread + ")");
  }

  @Test
  void givenTargetDeletedLater_whenAnOlderReferenceArrives_itMakesNoPlaceholder() {
    String tenant = newId();
    String thread = newId();
    String id = newId();
    apply(delete("threads", thread, 50, row("id", thread)));

    GraphApplyResult older = apply(create("messages", id, 40, message(id, tenant, thread, "obsolete reference")));

    assertThat(older.applied()).isTrue();
    assertThat(graph.nodesWithId(thread)).isZero();
    assertThat(graph.relationships(id)).noneMatch(r -> r.contains("IN_THREAD"));
  }

  @Test
  void givenToastedColumnUnchanged_whenUpdated_itKeepsTheOldValue() {
    String tenant = newId();
    String id = newId();
    apply(create("content_items", id, 10, contentItem(id, tenant, "v1", "a very long body")));

    apply(update("content_items", id, 20, contentItem(id, tenant, "v2", ChangeEvent.UNAVAILABLE_VALUE)));

    assertThat(graph.node("ContentItem", id).orElseThrow())
        .containsEntry("title", "v2").containsEntry("body", "a very long body").containsEntry("syncPosition", 20L);
  }

  @Test
  void givenActivityContext_whenApplied_itReportsTheAttemptAndFailsBadDataWithoutRetry() {
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      environment.registerActivitiesImplementations(testGraph.activities);
      GraphWriteActivities stub = environment.newActivityStub(GraphWriteActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(30))
              .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3)
                  .setInitialInterval(Duration.ofMillis(10)).build())
              .build());
      String tenant = newId();
      String id = newId();

      GraphApplyResult result = stub.applyToGraph(create("threads", id, 10, thread(id, tenant, "via Temporal")));
      Map<String, Object> badRow = thread(id, tenant, "bad");
      badRow.put("created_at", "yesterday");

      assertThat(result.applied()).isTrue();
      assertThat(result.attempt()).isEqualTo(1);
      assertThat(graph.node("Thread", id).orElseThrow()).containsEntry("title", "via Temporal");
      assertThatThrownBy(() -> stub.applyToGraph(update("threads", id, 20, badRow)))
          .isInstanceOf(ActivityFailure.class)
          .cause()
          .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
            assertThat(failure.getType()).isEqualTo(FailureType.INVALID_DATA.type());
            assertThat(failure.isNonRetryable()).isTrue();
            assertThat(failure.getOriginalMessage()).contains("threads", "created_at", "yesterday");
          });
      assertThat(graph.node("Thread", id).orElseThrow()).containsEntry("syncPosition", 10L);
    } finally {
      environment.close();
    }
  }
}
