package io.graphsync.workflows.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.graphsync.workflows.reconcile.RepairActivities;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The backfill workflow against scripted activities, on Temporal's in-memory test server. */
class BackfillWorkflowTest {

  static final BackfillPolicy POLICY = new BackfillPolicy(100, 3, 2);

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL = TestWorkflowExtension.newBuilder().setDoNotStart(true).build();

  /** Pages scripted per (table, cursor); records every call. */
  static final class ScriptedActivities implements BackfillActivities {
    final Map<String, BackfillPageResult> pages = new HashMap<>();
    final List<BackfillPageRequest> loaded = Collections.synchronizedList(new ArrayList<>());
    final List<BackfillRequest> planned = Collections.synchronizedList(new ArrayList<>());
    BackfillPlan plan = new BackfillPlan(List.of("users", "threads"), List.of(5L, 2L));
    final CountDownLatch reached = new CountDownLatch(1);
    CountDownLatch blockAt;
    String blockAfterKey;

    void page(String table, String afterKey, String nextKey, long rows, ChangeEvent... failed) {
      pages.put(table + "@" + afterKey, new BackfillPageResult(
          new BackfillCounts(rows, rows - failed.length, 0, failed.length, 1), nextKey, nextKey == null,
          List.of(failed)));
    }

    @Override
    public BackfillPlan planBackfill(BackfillRequest request) {
      planned.add(request);
      return plan;
    }

    @Override
    public BackfillPageResult loadPages(BackfillPageRequest request) {
      loaded.add(request);
      if (blockAt != null && java.util.Objects.equals(request.afterKey(), blockAfterKey)) {
        reached.countDown();
        try {
          blockAt.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      BackfillPageResult result = pages.get(request.table() + "@" + request.afterKey());
      if (result == null) {
        throw new AssertionError("no page scripted for " + request);
      }
      return result;
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

  private void start(TestWorkflowEnvironment env, Worker worker) {
    worker.registerWorkflowImplementationFactory(BackfillWorkflow.class, () -> new BackfillWorkflowImpl(POLICY));
    worker.registerActivitiesImplementations(activities, repairs);
    env.start();
  }

  private static BackfillWorkflow stub(TestWorkflowEnvironment env, Worker worker, String id) {
    return env.getWorkflowClient().newWorkflowStub(BackfillWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(worker.getTaskQueue()).build());
  }

  private static ChangeEvent failedRow(String id) {
    return ChangeEvent.builder(EventSource.BACKFILL, EventType.CREATE).entity("users", "User", id)
        .correlationId("backfill").timestamp(Instant.EPOCH).version(1L).position(77).dataOmitted(true).build();
  }

  @Test
  void givenTablesOfSeveralCalls_whenBackfilled_itLoadsEveryTableFromTheLastCursorAndContinuesAsNew(
      TestWorkflowEnvironment env, Worker worker) {
    start(env, worker);
    activities.page("users", null, "u3", 3);
    activities.page("users", "u3", null, 2);
    activities.page("threads", null, null, 2);

    BackfillSummary summary = stub(env, worker, "backfill/all").backfill(new BackfillRequest(null, "t-1", null,
        null, null, null));

    assertThat(activities.loaded).extracting(BackfillPageRequest::table, BackfillPageRequest::afterKey)
        .containsExactly(tuple("users", null), tuple("users", "u3"), tuple("threads", null));
    assertThat(activities.loaded).allSatisfy(request -> {
      assertThat(request.pageSize()).isEqualTo(100);
      assertThat(request.maxPages()).isEqualTo(3);
      assertThat(request.tenantId()).isEqualTo("t-1");
    });
    assertThat(activities.planned).hasSize(1);
    assertThat(summary.counts().rows()).isEqualTo(7);
    assertThat(summary.counts().pages()).isEqualTo(3);
    assertThat(summary.tables()).containsExactly("users", "threads");
    assertThat(summary.runs()).as("two calls per run, then continue-as-new").isEqualTo(2);
    BackfillProgress done = env.getWorkflowClient().newWorkflowStub(BackfillWorkflow.class, "backfill/all")
        .progress();
    assertThat(done.phase()).isEqualTo("DONE");
    assertThat(done.percentDone()).isEqualTo(100);
  }

  @Test
  void givenRowsThatCannotBeWritten_whenBackfilled_eachGetsItsOwnSyncWorkflow(TestWorkflowEnvironment env,
      Worker worker) {
    start(env, worker);
    activities.plan = new BackfillPlan(List.of("users"), List.of(3L));
    activities.page("users", null, null, 3, failedRow("u1"), failedRow("u2"));

    BackfillSummary summary = stub(env, worker, "backfill/failed").backfill(BackfillRequest.all());

    assertThat(repairs.started).extracting(ChangeEvent::entityId).containsExactly("u1", "u2");
    assertThat(summary.failedWorkflowIds()).containsExactly("sync/User/u1/77", "sync/User/u2/77");
    assertThat(summary.counts().failed()).isEqualTo(2);
    assertThat(summary.counts().applied()).isEqualTo(1);
  }

  @Test
  void givenALoadInProgress_whenQueried_itReportsTheTableCursorAndPercentDone(TestWorkflowEnvironment env,
      Worker worker) throws Exception {
    start(env, worker);
    activities.plan = new BackfillPlan(List.of("users"), List.of(10L));
    activities.page("users", null, "u4", 4);
    activities.page("users", "u4", null, 6);
    activities.blockAt = new CountDownLatch(1);
    activities.blockAfterKey = "u4";

    BackfillWorkflow workflow = stub(env, worker, "backfill/progress");
    WorkflowClient.start(workflow::backfill, BackfillRequest.all());
    activities.reached.await(10, TimeUnit.SECONDS);
    BackfillProgress progress = workflow.progress();
    activities.blockAt.countDown();

    assertThat(progress.phase()).isEqualTo("LOADING");
    assertThat(progress.table()).isEqualTo("users");
    assertThat(progress.afterKey()).isEqualTo("u4");
    assertThat(progress.totalRows()).isEqualTo(10);
    assertThat(progress.percentDone()).isEqualTo(40);
    BackfillSummary summary = WorkflowStub.fromTyped(workflow).getResult(BackfillSummary.class);
    assertThat(summary.counts().rows()).isEqualTo(10);
  }
}
