package io.graphsync.workflows.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.EscalationActivities;
import io.graphsync.workflows.resolve.PropertyDifference;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The workflow against scripted activities, on Temporal's in-memory test server with time skipping. */
class ReconciliationWorkflowTest {

  static final ReconciliationPolicy POLICY = new ReconciliationPolicy(3, Duration.ofSeconds(30), 2, 100, 50);

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL = TestWorkflowExtension.newBuilder().setDoNotStart(true).build();

  /** Pages scripted per (table, cursor); records every call and the test server's time of it. */
  static final class ScriptedActivities implements ReconciliationActivities {
    final Map<String, ComparisonResult> pages = new HashMap<>();
    final List<ComparisonRequest> compared = Collections.synchronizedList(new ArrayList<>());
    final List<Long> candidatesFoundAt = Collections.synchronizedList(new ArrayList<>());
    final List<List<Finding>> rechecked = Collections.synchronizedList(new ArrayList<>());
    final List<Long> recheckedAt = Collections.synchronizedList(new ArrayList<>());
    final List<RecordedFinding> recorded = Collections.synchronizedList(new ArrayList<>());
    final List<String> begun = Collections.synchronizedList(new ArrayList<>());
    final List<ReconciliationSummary> finished = Collections.synchronizedList(new ArrayList<>());
    Function<List<Finding>, RecheckResult> recheck = candidates -> new RecheckResult(9000, candidates, 0);
    CountDownLatch blockAt;
    String blockTable;
    String blockAfterKey;
    TestWorkflowEnvironment env;

    void page(String table, String afterKey, String nextKey, long rows, Finding... candidates) {
      pages.put(table + "@" + afterKey,
          new ComparisonResult(table, nextKey, nextKey == null, 1, rows, rows, List.of(candidates)));
    }

    @Override
    public ReconciliationRun beginRun(String workflowId, String temporalRunId, List<String> tables, String tenantId) {
      begun.add(workflowId);
      return new ReconciliationRun(42, tables.isEmpty() ? List.of("users", "threads") : tables);
    }

    @Override
    public ComparisonResult compare(ComparisonRequest request) {
      compared.add(request);
      if (blockAt != null && request.table().equals(blockTable)
          && java.util.Objects.equals(request.afterKey(), blockAfterKey)) {
        try {
          blockAt.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ComparisonResult result = pages.get(request.table() + "@" + request.afterKey());
      if (result == null) {
        throw new AssertionError("no page scripted for " + request);
      }
      if (!result.candidates().isEmpty()) {
        candidatesFoundAt.add(env.currentTimeMillis());
      }
      return result;
    }

    @Override
    public RecheckResult recheck(List<Finding> candidates) {
      rechecked.add(candidates);
      recheckedAt.add(env.currentTimeMillis());
      return recheck.apply(candidates);
    }

    @Override
    public void recordFindings(long runId, List<RecordedFinding> findings) {
      recorded.addAll(findings);
    }

    @Override
    public void finishRun(long runId, ReconciliationSummary summary) {
      finished.add(summary);
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

  static final class RecordingEscalations implements EscalationActivities {
    final List<Conflict> escalated = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void escalate(Conflict conflict) {
      escalated.add(conflict);
    }
  }

  private final ScriptedActivities activities = new ScriptedActivities();
  private final RecordingRepairs repairs = new RecordingRepairs();
  private final RecordingEscalations escalations = new RecordingEscalations();

  private void start(TestWorkflowEnvironment env, Worker worker) {
    activities.env = env;
    worker.registerWorkflowImplementationFactory(ReconciliationWorkflow.class,
        () -> new ReconciliationWorkflowImpl(POLICY));
    worker.registerActivitiesImplementations(activities, repairs, escalations);
    env.start();
  }

  private static ReconciliationWorkflow stub(TestWorkflowEnvironment env, Worker worker, String id) {
    return env.getWorkflowClient().newWorkflowStub(ReconciliationWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(worker.getTaskQueue()).build());
  }

  static Finding finding(FindingType type, String table, String id, Long rowVersion, Long nodeVersion,
      Long syncPosition, boolean inPostgres, boolean inNeo4j, boolean synced) {
    String label = table.equals("users") ? "User" : "Thread";
    return new Finding(type, table, label, id, "t-1", false, inPostgres, inNeo4j, rowVersion, nodeVersion,
        syncPosition, inNeo4j ? 0L : null, synced, type.name(), null, null, List.of(), List.of(), null, null, null);
  }

  static Finding missing(String id) {
    return finding(FindingType.MISSING_IN_NEO4J, "users", id, 3L, null, null, true, false, false);
  }

  static Finding orphan(String id, boolean synced) {
    return finding(FindingType.ORPHAN_IN_NEO4J, "users", id, null, 2L, synced ? 100L : null, false, true, synced);
  }

  static Finding stale(String id) {
    return finding(FindingType.STALE_VERSION, "users", id, 5L, 4L, 100L, true, true, true);
  }

  static Finding attributes(String id, long rowVersion, long nodeVersion) {
    return finding(FindingType.ATTRIBUTE_MISMATCH, "users", id, rowVersion, nodeVersion, 100L, true, true, true);
  }

  static Finding relationships(String id) {
    return finding(FindingType.RELATIONSHIP_MISMATCH, "users", id, 2L, 2L, 100L, true, true, true);
  }

  @Test
  void givenTablesOfSeveralPages_whenReconciled_itComparesEveryPageFromTheLastCursor(TestWorkflowEnvironment env,
      Worker worker) {
    start(env, worker);
    activities.page("users", null, "u3", 3);
    activities.page("users", "u3", "u6", 3);
    activities.page("users", "u6", null, 1);
    activities.page("threads", null, null, 2);

    ReconciliationSummary summary = stub(env, worker, "reconcile/pages").reconcile(ReconciliationRequest.all());

    assertThat(activities.compared).extracting(ComparisonRequest::table, ComparisonRequest::afterKey)
        .containsExactly(tuple("users", null), tuple("users", "u3"), tuple("users", "u6"), tuple("threads", null));
    assertThat(activities.compared).allSatisfy(request -> {
      assertThat(request.pageSize()).isEqualTo(3);
      assertThat(request.maxPages()).isEqualTo(2);
      assertThat(request.tenantId()).isNull();
    });
    assertThat(summary.counts().rows()).isEqualTo(9);
    assertThat(summary.counts().pages()).isEqualTo(4);
    assertThat(summary.counts().findings()).isZero();
    assertThat(summary.tables()).containsExactly("users", "threads");
    assertThat(summary.segments()).isEqualTo(1);
    assertThat(activities.rechecked).as("nothing to confirm, no grace wait").isEmpty();
    assertThat(activities.finished).containsExactly(summary);
  }

  @Test
  void givenCandidates_whenSomeChangeDuringTheGrace_itConfirmsAfterTheGraceAndReportsOnlyTheUnchanged(
      TestWorkflowEnvironment env, Worker worker) {
    start(env, worker);
    Finding drift = missing("u1");
    Finding inFlight = stale("u2");
    activities.page("users", null, null, 2, drift, inFlight);
    activities.recheck = candidates -> new RecheckResult(9000, List.of(drift), 1);

    ReconciliationSummary summary = stub(env, worker, "reconcile/grace")
        .reconcile(new ReconciliationRequest(List.of("users"), "t-1", null, null, null, null, null));

    assertThat(activities.rechecked).containsExactly(List.of(drift, inFlight));
    assertThat(activities.recheckedAt.get(0) - activities.candidatesFoundAt.get(0))
        .as("the re-check waits for the grace period").isGreaterThanOrEqualTo(30_000);
    assertThat(summary.counts().candidates()).isEqualTo(2);
    assertThat(summary.counts().inFlight()).isEqualTo(1);
    assertThat(summary.counts().missing()).isEqualTo(1);
    assertThat(summary.counts().stale()).isZero();
    assertThat(repairs.started).extracting(ChangeEvent::entityId).containsExactly("u1");
    assertThat(activities.recorded).extracting(r -> r.finding().entityId()).containsExactly("u1");
  }

  @Test
  void givenEachKindOfDrift_whenConfirmed_itRepairsThroughSyncWorkflowsAtTheRecheckPosition(
      TestWorkflowEnvironment env, Worker worker) throws Exception {
    start(env, worker);
    activities.page("users", null, null, 6, missing("u1"), orphan("u2", true), orphan("u3", false), stale("u4"),
        attributes("u5", 3, 7), relationships("u6"));

    ReconciliationSummary summary = stub(env, worker, "reconcile/repairs")
        .reconcile(new ReconciliationRequest(List.of("users"), null, null, Duration.ofSeconds(5), null, null, null));

    assertThat(repairs.started).extracting(ChangeEvent::entityId, ChangeEvent::eventType, ChangeEvent::version)
        .containsExactly(tuple("u1", EventType.CREATE, 3L), tuple("u2", EventType.DELETE, null),
            tuple("u4", EventType.UPDATE, 5L), tuple("u5", EventType.UPDATE, 3L), tuple("u6", EventType.UPDATE, 2L));
    assertThat(repairs.started).allSatisfy(event -> {
      assertThat(event.source()).isEqualTo(EventSource.RECONCILIATION);
      assertThat(event.dataOmitted()).isTrue();
      assertThat(event.position()).isEqualTo(9000);
      assertThat(event.table()).isEqualTo("users");
      assertThat(event.entityType()).isEqualTo("User");
      assertThat(event.eventId()).isEqualTo(ChangeEvent.eventIdOf("users", event.entityId(), 9000));
      assertThat(event.correlationId()).isEqualTo("reconciliation/42");
    });
    Map<String, RecordedFinding> recorded = new HashMap<>();
    activities.recorded.forEach(r -> recorded.put(r.finding().entityId(), r));
    assertThat(recorded.get("u1").action()).isEqualTo(FindingAction.REPAIR_STARTED);
    assertThat(recorded.get("u1").workflowId()).isEqualTo("sync/User/u1/9000");
    assertThat(recorded.get("u1").position()).isEqualTo(9000L);
    assertThat(recorded.get("u3").action()).as("never delete what PostgreSQL did not sync")
        .isEqualTo(FindingAction.NOT_SYNCED);
    assertThat(recorded.get("u3").workflowId()).isNull();
    assertThat(summary.counts().repairsStarted()).isEqualTo(5);
    assertThat(summary.counts().reported()).isEqualTo(1);
    assertThat(summary.counts().orphans()).isEqualTo(2);
    assertThat(escalations.escalated).isEmpty();
    // a worker that lost its cache replays the history: the settings side effect and every decision must match
    io.temporal.common.WorkflowExecutionHistory history =
        env.getWorkflowClient().fetchHistory("reconcile/repairs");
    io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(history, worker);
  }

  @Test
  void givenRepairPolicyOffForSomeTypesOrAPendingRepair_whenConfirmed_itOnlyReportsThem(TestWorkflowEnvironment env,
      Worker worker) {
    start(env, worker);
    activities.page("users", null, null, 5, missing("u1"), orphan("u2", true), stale("u4"), relationships("u6"),
        stale("u7").withPendingRepair("sync/User/u7/8000"));

    ReconciliationSummary summary = stub(env, worker, "reconcile/policy").reconcile(new ReconciliationRequest(
        List.of("users"), null, null, null, new RepairPolicy(null, null, false, null, null, false, null), null, null));

    assertThat(repairs.started).extracting(ChangeEvent::entityId).containsExactly("u1", "u4");
    assertThat(activities.recorded).filteredOn(r -> r.action() == FindingAction.REPORTED)
        .extracting(r -> r.finding().entityId()).containsExactlyInAnyOrder("u2", "u6", "u7");
    assertThat(summary.counts().reported()).as("an earlier repair that has not reached the graph is not repeated")
        .isEqualTo(3);
  }

  @Test
  void givenManyCandidates_whenSettled_itRechecksAndRepairsThemInBoundedBatches(TestWorkflowEnvironment env,
      Worker worker) {
    start(env, worker);
    Finding[] candidates = new Finding[60];
    for (int i = 0; i < candidates.length; i++) {
      candidates[i] = missing("u" + i);
    }
    activities.page("users", null, null, 60, candidates);
    activities.recheck = batch -> new RecheckResult(9000 + activities.rechecked.size(), batch, 0);

    ReconciliationSummary summary = stub(env, worker, "reconcile/batches")
        .reconcile(new ReconciliationRequest(List.of("users"), null, null, null, null, null, null));

    assertThat(activities.rechecked).extracting(List::size).containsExactly(50, 10);
    assertThat(repairs.started).hasSize(60);
    assertThat(repairs.started).extracting(ChangeEvent::position).containsOnly(9001L, 9002L);
    assertThat(summary.counts().missing()).isEqualTo(60);
    assertThat(activities.recorded).hasSize(60);
  }

  @Test
  void givenSameVersionAttributeMismatch_whenConfirmed_itEscalatesAndNeverRepairs(TestWorkflowEnvironment env,
      Worker worker) {
    start(env, worker);
    Finding conflict = attributes("u5", 4, 4);
    activities.page("users", null, null, 1, conflict);
    Map<String, Object> postgres = Map.of("email", "a@example.org");
    Map<String, Object> neo4j = Map.of("email", "edited@example.org");
    activities.recheck = candidates -> new RecheckResult(9000, List.of(new Finding(conflict.type(), conflict.table(),
        conflict.entityType(), conflict.entityId(), conflict.tenantId(), false, true, true, 4L, 4L, 100L, 3L, true,
        "edited in Neo4j", "h1", "h2", List.of(new PropertyDifference("email", "a@example.org", "edited@example.org")),
        List.of(), postgres, neo4j, null)), 0);

    ReconciliationSummary summary = stub(env, worker, "reconcile/escalate")
        .reconcile(new ReconciliationRequest(List.of("users"), null, null, null, null, null, null));

    assertThat(repairs.started).isEmpty();
    assertThat(escalations.escalated).hasSize(1);
    Conflict escalated = escalations.escalated.get(0);
    assertThat(escalated.kind()).isEqualTo(Conflict.SAME_VERSION_DIFFERENT_CONTENT);
    assertThat(escalated.entityId()).isEqualTo("u5");
    assertThat(escalated.pgVersion()).isEqualTo(4L);
    assertThat(escalated.neo4jVersion()).isEqualTo(3L);
    assertThat(escalated.postgres()).isEqualTo(postgres);
    assertThat(escalated.neo4j()).isEqualTo(neo4j);
    assertThat(escalated.differences()).extracting(PropertyDifference::property).containsExactly("email");
    assertThat(escalated.detectedBy()).isEqualTo("reconcile/escalate");
    assertThat(activities.recorded).singleElement().satisfies(r -> {
      assertThat(r.action()).isEqualTo(FindingAction.ESCALATED);
      assertThat(r.workflowId()).isEqualTo("resolve/User/u5");
    });
    assertThat(summary.counts().escalated()).isEqualTo(1);
    assertThat(summary.counts().attributes()).isEqualTo(1);
  }

  @Test
  void givenMorePagesThanTheRunBudget_whenReconciled_itContinuesAsNewCarryingCursorAndCounts(
      TestWorkflowEnvironment env, Worker worker) {
    start(env, worker);
    activities.page("users", null, "u1", 1);
    activities.page("users", "u1", "u2", 1, missing("u2"));
    activities.page("users", "u2", "u3", 1);
    activities.page("users", "u3", null, 1, missing("u4"));
    activities.page("threads", null, null, 1);

    ReconciliationSummary summary = stub(env, worker, "reconcile/continue")
        .reconcile(new ReconciliationRequest(null, null, null, null, null, 2, null));

    assertThat(activities.begun).as("one run row for all segments").hasSize(1);
    assertThat(activities.compared).extracting(ComparisonRequest::table, ComparisonRequest::afterKey)
        .containsExactly(tuple("users", null), tuple("users", "u1"), tuple("users", "u2"), tuple("users", "u3"),
            tuple("threads", null));
    assertThat(summary.segments()).isEqualTo(3);
    assertThat(summary.runId()).isEqualTo(42);
    assertThat(summary.counts().pages()).isEqualTo(5);
    assertThat(summary.counts().rows()).isEqualTo(5);
    assertThat(summary.counts().missing()).as("counts survive continue-as-new").isEqualTo(2);
    assertThat(activities.rechecked).as("each segment settles its candidates before it continues").hasSize(2);
  }

  @Test
  void givenARunningReconciliation_whenQueried_itReportsItsProgress(TestWorkflowEnvironment env, Worker worker)
      throws Exception {
    start(env, worker);
    activities.page("users", null, "u3", 3, missing("u1"));
    activities.page("users", "u3", null, 1);
    activities.page("threads", null, null, 1);
    activities.blockAt = new CountDownLatch(1);
    activities.blockTable = "users";
    activities.blockAfterKey = "u3";
    ReconciliationWorkflow workflow = stub(env, worker, "reconcile/progress");
    WorkflowClient.start(workflow::reconcile, ReconciliationRequest.all());
    ReconciliationWorkflow running =
        env.getWorkflowClient().newWorkflowStub(ReconciliationWorkflow.class, "reconcile/progress");

    ReconciliationProgress progress = running.progress();
    long until = System.currentTimeMillis() + 10_000;
    while (progress.counts().pages() < 1 && System.currentTimeMillis() < until) {
      Thread.sleep(50);
      progress = running.progress();
    }

    assertThat(progress.phase()).isEqualTo("COMPARING");
    assertThat(progress.runId()).isEqualTo(42);
    assertThat(progress.tables()).containsExactly("users", "threads");
    assertThat(progress.tableIndex()).isZero();
    assertThat(progress.afterKey()).isEqualTo("u3");
    assertThat(progress.pendingCandidates()).isEqualTo(1);
    assertThat(progress.counts().rows()).isEqualTo(3);
    activities.blockAt.countDown();
    ReconciliationSummary summary = env.getWorkflowClient().newUntypedWorkflowStub("reconcile/progress")
        .getResult(ReconciliationSummary.class);
    assertThat(summary.counts().missing()).isEqualTo(1);
    assertThat(running.progress().phase()).isEqualTo("DONE");
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }

  /** Records the backfills reconciliation starts as child workflows. */
  public static class RecordingBackfill implements io.graphsync.workflows.bulk.BackfillWorkflow {
    static final List<io.graphsync.workflows.bulk.BackfillRequest> STARTED =
        Collections.synchronizedList(new ArrayList<>());

    @Override
    public io.graphsync.workflows.bulk.BackfillSummary backfill(io.graphsync.workflows.bulk.BackfillRequest request) {
      STARTED.add(request);
      return null;
    }

    @Override
    public io.graphsync.workflows.bulk.BackfillProgress progress() {
      return null;
    }
  }

  @Test
  void givenManyRowsMissingInOneTable_whenConfirmed_theRestGoToOneBackfillInsteadOfARepairEach(
      TestWorkflowEnvironment env, Worker worker) throws Exception {
    // the backfill runs on its own lane, as in worker-app
    env.newWorker(io.graphsync.workflows.bulk.BackfillWorkflow.TASK_QUEUE)
        .registerWorkflowImplementationTypes(RecordingBackfill.class);
    RecordingBackfill.STARTED.clear();
    start(env, worker);
    Finding[] missing = new Finding[130];
    for (int i = 0; i < missing.length; i++) {
      missing[i] = missing("u" + i);
    }
    activities.page("users", null, null, 130, missing);

    ReconciliationSummary summary = stub(env, worker, "reconcile/many-missing")
        .reconcile(new ReconciliationRequest(List.of("users"), "t-1", null, Duration.ofSeconds(5), null, null, null));

    int perRow = ReconciliationWorkflowImpl.MISSING_FOR_BACKFILL - 1;
    assertThat(repairs.started).hasSize(perRow);
    env.getWorkflowClient().newUntypedWorkflowStub("backfill/users/tenant/t-1").getResult(Object.class);
    assertThat(RecordingBackfill.STARTED).singleElement().satisfies(request -> {
      assertThat(request.tables()).containsExactly("users");
      assertThat(request.tenantId()).isEqualTo("t-1");
    });
    assertThat(activities.recorded).filteredOn(r -> r.action() == FindingAction.BACKFILL_STARTED)
        .hasSize(130 - perRow)
        .allSatisfy(r -> assertThat(r.workflowId()).isEqualTo("backfill/users/tenant/t-1"));
    assertThat(summary.counts().missing()).isEqualTo(130);
    assertThat(summary.counts().repairsStarted()).isEqualTo(130);
    io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(
        env.getWorkflowClient().fetchHistory("reconcile/many-missing"), worker);
  }
}
