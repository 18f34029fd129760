package io.graphsync.workflows.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.workflows.reconcile.RepairActivities;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.SyncPolicy;
import io.graphsync.workflows.sync.SyncStatus;
import io.graphsync.workflows.sync.SyncStatusUpdate;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The batch workflow against scripted activities, on Temporal's in-memory test server with time skipping. */
class SyncBatchWorkflowTest {

  static final SyncPolicy POLICY = new SyncPolicy(Duration.ofMinutes(2), Duration.ofDays(1), Duration.ofMinutes(1));

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL = TestWorkflowExtension.newBuilder().setDoNotStart(true).build();

  static final class ScriptedActivities implements BatchSyncActivities {
    Function<List<ChangeEvent>, List<BatchItemResult>> apply;
    final List<SyncStatusUpdate> marked = Collections.synchronizedList(new ArrayList<>());
    int applyCalls;

    @Override
    public List<BatchItemResult> applyBatchToGraph(List<ChangeEvent> events) {
      applyCalls++;
      return apply.apply(events);
    }

    @Override
    public int recordBatchSyncStatus(List<SyncStatusUpdate> updates) {
      marked.addAll(updates);
      return updates.size();
    }
  }

  static final class RecordingRepairs implements RepairActivities {
    final List<ChangeEvent> started = Collections.synchronizedList(new ArrayList<>());

    @Override
    public List<String> startRepairs(List<ChangeEvent> events) {
      started.addAll(events);
      return events.stream().map(ChangeEvent::workflowId).toList();
    }
  }

  private final ScriptedActivities activities = new ScriptedActivities();
  private final RecordingRepairs repairs = new RecordingRepairs();

  private SyncBatchWorkflow start(TestWorkflowEnvironment env, Worker worker, String id) {
    worker.registerWorkflowImplementationFactory(SyncBatchWorkflow.class, () -> new SyncBatchWorkflowImpl(POLICY));
    worker.registerActivitiesImplementations(activities, repairs);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(SyncBatchWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(worker.getTaskQueue()).build());
  }

  private static ChangeEvent change(String id, EventType type, long version, long position) {
    return ChangeEvent.builder(EventSource.POSTGRES, type).entity("concepts", "Concept", id).tenantId("t1")
        .correlationId("tx").timestamp(Instant.EPOCH).data(type == EventType.DELETE ? null : Map.of("id", id))
        .version(version).position(position).build();
  }

  @Test
  void givenABatch_whenSynced_eachRowIsMarkedOnceForItsLatestVersionAndFailuresGetTheirOwnSync(
      TestWorkflowEnvironment env, Worker worker) {
    ChangeEvent a1 = change("a", EventType.CREATE, 1, 10);
    ChangeEvent a2 = change("a", EventType.UPDATE, 2, 20);
    ChangeEvent b1 = change("b", EventType.CREATE, 1, 30);
    ChangeEvent bad = change("c", EventType.CREATE, 1, 40);
    ChangeEvent gone = change("d", EventType.DELETE, 3, 50);
    activities.apply = events -> List.of(
        new BatchItemResult(a1.eventId(), false, null, null),
        new BatchItemResult(a2.eventId(), true, "node-a", null),
        new BatchItemResult(b1.eventId(), false, null, null),
        new BatchItemResult(bad.eventId(), false, null, "value of column x is not a number"),
        new BatchItemResult(gone.eventId(), true, null, null));

    SyncBatchSummary summary = start(env, worker, "sync-batch/10-50").sync(SyncBatch.of(List.of(a1, a2, b1, bad,
        gone)));

    assertThat(activities.marked).containsExactlyInAnyOrder(
        new SyncStatusUpdate("concepts", "a", 2, SyncStatus.SUCCESS, 1, null, "node-a"),
        new SyncStatusUpdate("concepts", "b", 1, SyncStatus.SUCCESS, 1, null, null));
    assertThat(repairs.started).containsExactly(bad);
    assertThat(summary).isEqualTo(new SyncBatchSummary(5, 2, 2, List.of(bad.workflowId())));
  }

  @Test
  void givenAGraphThatStaysDown_whenTheRetryWindowEnds_everyChangeGetsItsOwnSync(TestWorkflowEnvironment env,
      Worker worker) {
    ChangeEvent a = change("a", EventType.CREATE, 1, 10);
    ChangeEvent b = change("b", EventType.CREATE, 1, 20);
    activities.apply = events -> {
      throw new IllegalStateException("Neo4j is unreachable");
    };

    SyncBatchSummary summary = start(env, worker, "sync-batch/10-20").sync(SyncBatch.of(List.of(a, b)));

    assertThat(activities.applyCalls).isGreaterThan(1);
    assertThat(repairs.started).containsExactly(a, b);
    assertThat(summary.splitOut()).containsExactly(a.workflowId(), b.workflowId());
    assertThat(activities.marked).isEmpty();
  }
}
