package io.graphsync.workflows.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.backflow.GraphStampActivities;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.graphsync.workflows.sync.GraphWriteActivities;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

class ManualResolutionWorkflowTest {

  static final Duration REMIND_AFTER = Duration.ofHours(24);

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL = TestWorkflowExtension.newBuilder()
      .registerSearchAttribute("EntityType", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("EntityId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("TenantId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("EventType", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("SyncStatus", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("ConflictStatus", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .setDoNotStart(true)
      .build();

  private final ResolutionActivities activities =
      mock(ResolutionActivities.class, withSettings().withoutAnnotations());
  private final GraphWriteActivities graph = mock(GraphWriteActivities.class, withSettings().withoutAnnotations());
  private final GraphStampActivities stamp = mock(GraphStampActivities.class, withSettings().withoutAnnotations());

  static Conflict conflict(String neo4jName) {
    return new Conflict("concepts", "Concept", "c-1", "t-1", Conflict.SAME_VERSION_DIFFERENT_CONTENT, 3L, 1L,
        Map.of("name", "graphs", "description", "nodes and edges"),
        Map.of("name", neo4jName, "description", "nodes and edges"),
        List.of(new PropertyDifference("name", "graphs", neo4jName)), Instant.parse("2026-11-25T10:00:00Z"),
        "reconcile/2026-11-25T10:00Z");
  }

  static final Conflict CONFLICT = conflict("graph theory");

  static final ChangeEvent REWRITE = ChangeEvent.builder(EventSource.RECONCILIATION, EventType.UPDATE)
      .entity("concepts", "Concept", "c-1").tenantId("t-1").correlationId("resolve/Concept/c-1")
      .timestamp(Instant.parse("2026-11-25T10:05:00Z")).version(3L).position(99_000L).dataOmitted(true).build();

  /** What the escalation passes as the workflows' policy. */
  private ResolutionPolicy policy;

  private void start(TestWorkflowEnvironment env, Worker worker, ResolutionPolicy policy) {
    this.policy = policy;
    worker.registerWorkflowImplementationTypes(ManualResolutionWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities, graph, stamp);
    env.start();
  }

  private void start(TestWorkflowEnvironment env, Worker worker) {
    start(env, worker, new ResolutionPolicy(REMIND_AFTER, 500));
  }

  /** As the escalation does it: signal-with-start, the conflict as the start input and as the report. */
  private void escalate(TestWorkflowEnvironment env, Worker worker, Conflict conflict) {
    WorkflowClient client = env.getWorkflowClient();
    ManualResolutionWorkflow workflow = client.newWorkflowStub(ManualResolutionWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(conflict.workflowId())
            .setTaskQueue(worker.getTaskQueue())
            .setTypedSearchAttributes(SearchAttributes.newBuilder()
                .set(SyncSearchAttributes.CONFLICT_STATUS, ConflictStatus.OPEN.name()).build())
            .build());
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(workflow::resolve, conflict, null, policy);
    request.add(workflow::report, conflict);
    client.signalWithStart(request);
  }

  private static ManualResolutionWorkflow running(TestWorkflowEnvironment env) {
    return env.getWorkflowClient().newWorkflowStub(ManualResolutionWorkflow.class, CONFLICT.workflowId());
  }

  private static ConflictState await(TestWorkflowEnvironment env, String what, Predicate<ConflictState> condition) {
    long until = System.currentTimeMillis() + 10_000;
    while (true) {
      ConflictState state = running(env).conflict();
      if (state != null && condition.test(state)) {
        return state;
      }
      if (System.currentTimeMillis() > until) {
        throw new AssertionError("never " + what + ": " + state);
      }
      env.sleep(Duration.ofMillis(50));
    }
  }

  private static ResolutionOutcome result(TestWorkflowEnvironment env) {
    return env.getWorkflowClient().newUntypedWorkflowStub(CONFLICT.workflowId()).getResult(ResolutionOutcome.class);
  }

  private static String conflictStatus(TestWorkflowEnvironment env) {
    return env.getWorkflowClient().newUntypedWorkflowStub(CONFLICT.workflowId()).describe()
        .getTypedSearchAttributes().get(SyncSearchAttributes.CONFLICT_STATUS);
  }

  /**
   * With {@code -Dgraphsync.exportHistories=<dir>}: writes the workflow's history there, to be stored under
   * {@code src/test/resources/histories/} for {@link ManualResolutionWorkflowReplayTest} when a version is released.
   */
  private static void exportHistory(TestWorkflowEnvironment env, String runId, String file) {
    String dir = System.getProperty("graphsync.exportHistories");
    if (dir == null) {
      return;
    }
    try {
      java.nio.file.Files.createDirectories(java.nio.file.Path.of(dir));
      java.nio.file.Files.writeString(java.nio.file.Path.of(dir, file),
          env.getWorkflowClient().fetchHistory(CONFLICT.workflowId(), runId).toJson(true));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ConflictDecision recordedDecision() {
    ArgumentCaptor<ConflictDecision> decision = ArgumentCaptor.forClass(ConflictDecision.class);
    verify(activities).recordConflictDecision(decision.capture());
    return decision.getValue();
  }

  @Test
  void givenKeepPostgres_whenApproved_itRewritesTheNodeThroughApplyToGraphAndAuditsTheDecision(
      TestWorkflowEnvironment env, Worker worker) {
    when(activities.rewriteEventFromPostgres(any())).thenReturn(REWRITE);
    when(graph.applyToGraph(any())).thenReturn(new GraphApplyResult(true, "4:n:1", 1));
    start(env, worker);
    escalate(env, worker, CONFLICT);

    running(env).approve(new Approval(Resolution.KEEP_POSTGRES, "alice", "graph edit was a test", 1));

    ResolutionOutcome outcome = result(env);
    assertThat(outcome.resolution()).isEqualTo(Resolution.KEEP_POSTGRES);
    assertThat(outcome.by()).isEqualTo("alice");
    assertThat(outcome.applied()).isTrue();
    assertThat(outcome.detail()).contains("rewritten", "pg_version 3", "99000");
    // the back-flow's hold (if any) is released first, so the rewrite is not held back
    InOrder order = inOrder(stamp, activities, graph);
    order.verify(stamp).releaseHold(CONFLICT);
    order.verify(activities).rewriteEventFromPostgres(CONFLICT);
    order.verify(graph).applyToGraph(REWRITE);
    verify(stamp, never()).holdForDecision(any());
    ConflictDecision decision = recordedDecision();
    assertThat(decision.workflowId()).isEqualTo("resolve/Concept/c-1");
    assertThat(decision.runId()).isNotBlank();
    assertThat(decision.revision()).isEqualTo(1);
    assertThat(decision.conflict()).isEqualTo(CONFLICT);
    assertThat(decision.approval().comment()).isEqualTo("graph edit was a test");
    assertThat(decision.applied()).isTrue();
    assertThat(decision.detail()).isEqualTo(outcome.detail());
    assertThat(conflictStatus(env)).isEqualTo("RESOLVED");
    assertThat(running(env).conflict().status()).isEqualTo(ConflictStatus.RESOLVED);
    assertThat(running(env).conflict().outcome()).isEqualTo(outcome);
    exportHistory(env, null, "manual-resolution-keep-postgres.json");
  }

  @Test
  void givenKeepNeo4j_whenApproved_itUpdatesTheRowWithAuditInOneActivity(TestWorkflowEnvironment env, Worker worker) {
    when(activities.keepNeo4jValues(any()))
        .thenReturn(new RowUpdateResult(true, null, 4L, "concepts row updated to pg_version 4"));
    start(env, worker);
    escalate(env, worker, CONFLICT);

    running(env).approve(new Approval(Resolution.KEEP_NEO4J, "bob", null, null));

    assertThat(result(env)).isEqualTo(
        new ResolutionOutcome(Resolution.KEEP_NEO4J, "bob", true, "concepts row updated to pg_version 4"));
    ArgumentCaptor<ConflictDecision> decision = ArgumentCaptor.forClass(ConflictDecision.class);
    verify(activities).keepNeo4jValues(decision.capture());
    assertThat(decision.getValue().conflict()).isEqualTo(CONFLICT);
    assertThat(decision.getValue().revision()).isEqualTo(1);
    assertThat(decision.getValue().approval().by()).isEqualTo("bob");
    verify(activities, never()).recordConflictDecision(any());
    verify(graph, never()).applyToGraph(any());
    // released before the row is written: the capture's change of that write reaches the graph, not held
    InOrder order = inOrder(stamp, activities);
    order.verify(stamp).releaseHold(CONFLICT);
    order.verify(activities).keepNeo4jValues(any());
  }

  @Test
  void givenDismiss_whenApproved_itChangesNoStoreAndAuditsTheDecision(TestWorkflowEnvironment env, Worker worker) {
    start(env, worker);
    escalate(env, worker, CONFLICT);

    running(env).approve(new Approval(Resolution.DISMISS, "carol", "known difference", 1));

    ResolutionOutcome outcome = result(env);
    assertThat(outcome.applied()).isFalse();
    assertThat(outcome.resolution()).isEqualTo(Resolution.DISMISS);
    assertThat(recordedDecision().applied()).isFalse();
    verify(activities, never()).keepNeo4jValues(any());
    verify(activities, never()).rewriteEventFromPostgres(any());
    verify(graph, never()).applyToGraph(any());
  }

  @Test
  void givenMalformedApprovals_whenSignalled_itRejectsThemVisiblyAndKeepsWaiting(
      TestWorkflowEnvironment env, Worker worker) {
    start(env, worker);
    escalate(env, worker, CONFLICT);

    running(env).approve(new Approval(null, "alice", null, null));
    running(env).approve(new Approval(Resolution.DISMISS, "  ", null, null));
    running(env).approve(null);

    ConflictState state = await(env, "three rejections", s -> s.rejectedApprovals().size() == 3);
    assertThat(state.status()).isEqualTo(ConflictStatus.OPEN);
    assertThat(state.rejectedApprovals()).extracting(RejectedApproval::reason)
        .satisfiesExactly(
            reason -> assertThat(reason).contains("no resolution", "KEEP_POSTGRES"),
            reason -> assertThat(reason).contains("\"by\""),
            reason -> assertThat(reason).contains("no approval"));
    assertThat(state.rejectedApprovals().get(0).approval().by()).isEqualTo("alice");
    verify(activities, never()).recordConflictDecision(any());

    // still waiting: a valid approval resolves it
    running(env).approve(new Approval(Resolution.DISMISS, "alice", null, null));
    assertThat(result(env).resolution()).isEqualTo(Resolution.DISMISS);
  }

  @Test
  void givenAChangedReport_whenAnApprovalNamesTheOldRevision_itIsStaleAndTheCurrentRevisionApplies(
      TestWorkflowEnvironment env, Worker worker) {
    start(env, worker);
    escalate(env, worker, CONFLICT);
    escalate(env, worker, CONFLICT);
    assertThat(await(env, "the same finding reported twice", s -> true).revision()).isEqualTo(1);

    Conflict changed = conflict("graph theory (edited again)");
    escalate(env, worker, changed);
    ConflictState state = await(env, "revision 2", s -> s.revision() == 2);
    assertThat(state.conflict()).isEqualTo(changed);

    running(env).approve(new Approval(Resolution.DISMISS, "alice", null, 1));
    state = await(env, "a stale rejection", s -> !s.rejectedApprovals().isEmpty());
    assertThat(state.rejectedApprovals().get(0).reason()).contains("stale", "revision 1", "revision 2");
    assertThat(state.status()).isEqualTo(ConflictStatus.OPEN);
    verify(activities, never()).recordConflictDecision(any());

    running(env).approve(new Approval(Resolution.DISMISS, "alice", null, 2));
    assertThat(result(env).resolution()).isEqualTo(Resolution.DISMISS);
    ConflictDecision decision = recordedDecision();
    assertThat(decision.revision()).isEqualTo(2);
    assertThat(decision.conflict()).isEqualTo(changed);
    exportHistory(env, null, "manual-resolution-stale-then-dismissed.json");
  }

  @Test
  void givenNoDecision_whenTheReminderFires_itMarksTheConflictOverdue(TestWorkflowEnvironment env, Worker worker) {
    start(env, worker);
    escalate(env, worker, CONFLICT);
    await(env, "open", s -> true);
    assertThat(conflictStatus(env)).isEqualTo("OPEN");

    env.sleep(REMIND_AFTER.minusMinutes(1));
    assertThat(running(env).conflict().status()).isEqualTo(ConflictStatus.OPEN);
    assertThat(conflictStatus(env)).isEqualTo("OPEN");

    env.sleep(Duration.ofMinutes(2));
    ConflictState state = await(env, "overdue", s -> s.status() == ConflictStatus.OVERDUE);
    assertThat(conflictStatus(env)).isEqualTo("OVERDUE");
    assertThat(state.overdueAt()).isEqualTo(state.openedAt().plus(REMIND_AFTER));

    // overdue conflicts still take a decision
    running(env).approve(new Approval(Resolution.DISMISS, "alice", null, null));
    assertThat(result(env).resolution()).isEqualTo(Resolution.DISMISS);
    assertThat(conflictStatus(env)).isEqualTo("RESOLVED");
    exportHistory(env, null, "manual-resolution-overdue.json");
  }

  @Test
  void givenKeepNeo4jWhileTheRowChanged_whenApproved_itRejectsVisiblyAndWaitsForAnotherDecision(
      TestWorkflowEnvironment env, Worker worker) {
    when(activities.keepNeo4jValues(any())).thenReturn(RowUpdateResult.rejected(
        "the row changed since the conflict was found (pg_version 3 expected, 4 now)"));
    start(env, worker);
    escalate(env, worker, CONFLICT);

    running(env).approve(new Approval(Resolution.KEEP_NEO4J, "alice", null, 1));

    ConflictState state = await(env, "a rejection", s -> !s.rejectedApprovals().isEmpty());
    assertThat(state.rejectedApprovals().get(0).reason()).contains("not applied", "pg_version 3 expected");
    assertThat(state.status()).isEqualTo(ConflictStatus.OPEN);
    assertThat(state.decision()).isNull();
    assertThat(conflictStatus(env)).isEqualTo("OPEN");

    running(env).approve(new Approval(Resolution.DISMISS, "alice", "fixed in PostgreSQL meanwhile", 1));
    assertThat(result(env).resolution()).isEqualTo(Resolution.DISMISS);
    exportHistory(env, null, "manual-resolution-keep-neo4j-stale.json");
  }

  @Test
  void givenAHeldNode_whenKeepNeo4jIsNotCarriedOut_itIsHeldAgainUntilTheNextDecision(
      TestWorkflowEnvironment env, Worker worker) {
    when(stamp.releaseHold(any())).thenReturn(true);
    when(activities.keepNeo4jValues(any())).thenReturn(RowUpdateResult.rejected(
        "the row changed since the conflict was found (pg_version 3 expected, 4 now)"));
    start(env, worker);
    escalate(env, worker, CONFLICT);

    running(env).approve(new Approval(Resolution.KEEP_NEO4J, "alice", null, 1));
    await(env, "a rejection", s -> !s.rejectedApprovals().isEmpty());

    InOrder order = inOrder(stamp, activities);
    order.verify(stamp).releaseHold(CONFLICT);
    order.verify(activities).keepNeo4jValues(any());
    order.verify(stamp).holdForDecision(CONFLICT);

    running(env).approve(new Approval(Resolution.DISMISS, "alice", "fixed in PostgreSQL meanwhile", 1));
    assertThat(result(env).resolution()).isEqualTo(Resolution.DISMISS);
    verify(stamp, times(2)).releaseHold(CONFLICT);
    verify(stamp, times(1)).holdForDecision(CONFLICT);
  }

  @Test
  void givenAStoreFailure_whenApplying_itRejectsTheApprovalAndKeepsWaiting(TestWorkflowEnvironment env, Worker worker) {
    when(activities.keepNeo4jValues(any())).thenThrow(ApplicationFailure.newNonRetryableFailure(
        "concepts.name: null value violates not-null constraint", FailureType.INVALID_DATA.type()));
    start(env, worker);
    escalate(env, worker, CONFLICT);

    running(env).approve(new Approval(Resolution.KEEP_NEO4J, "alice", null, 1));

    ConflictState state = await(env, "a rejection", s -> !s.rejectedApprovals().isEmpty());
    assertThat(state.rejectedApprovals().get(0).reason()).contains("could not be applied", "InvalidData",
        "not-null");
    assertThat(state.status()).isEqualTo(ConflictStatus.OPEN);
    verify(activities, times(1)).keepNeo4jValues(any());
    verify(stamp, never()).holdForDecision(any()); // it was not held (a reconciliation conflict): nothing to redo
  }

  @Test
  void givenManySignals_whenTheRunContinuesAsNew_itKeepsRevisionRejectionsAndTheReminder(
      TestWorkflowEnvironment env, Worker worker) {
    start(env, worker, new ResolutionPolicy(REMIND_AFTER, 3));
    escalate(env, worker, CONFLICT);
    String firstRun = env.getWorkflowClient().newUntypedWorkflowStub(CONFLICT.workflowId()).describe()
        .getExecution().getRunId();
    ConflictState opened = await(env, "open", s -> true);

    escalate(env, worker, conflict("renamed in Neo4j"));
    running(env).approve(new Approval(Resolution.KEEP_NEO4J, " ", null, null));

    WorkflowStub latest = env.getWorkflowClient().newUntypedWorkflowStub(CONFLICT.workflowId());
    long until = System.currentTimeMillis() + 10_000;
    while (latest.describe().getExecution().getRunId().equals(firstRun)) {
      assertThat(System.currentTimeMillis()).as("continued as new").isLessThan(until);
      env.sleep(Duration.ofMillis(50));
    }
    ConflictState continued = await(env, "the state in the new run", s -> true);
    assertThat(continued.revision()).isEqualTo(2);
    assertThat(continued.conflict()).isEqualTo(conflict("renamed in Neo4j"));
    assertThat(continued.rejectedApprovals()).hasSize(1);
    assertThat(continued.openedAt()).isEqualTo(opened.openedAt());
    assertThat(continued.overdueAt()).isEqualTo(opened.overdueAt());
    assertThat(continued.status()).isEqualTo(ConflictStatus.OPEN);

    // the reminder still fires at the original time, not a fresh 24 hours later
    env.sleep(Duration.between(Instant.ofEpochMilli(env.currentTimeMillis()), opened.overdueAt()).plusMinutes(1));
    await(env, "overdue", s -> s.status() == ConflictStatus.OVERDUE);
    assertThat(conflictStatus(env)).isEqualTo("OVERDUE");

    running(env).approve(new Approval(Resolution.DISMISS, "alice", null, 2));
    assertThat(result(env).resolution()).isEqualTo(Resolution.DISMISS);
    ConflictDecision decision = recordedDecision();
    assertThat(decision.revision()).isEqualTo(2);
    assertThat(decision.runId()).as("the first run id identifies the decision across runs").isEqualTo(firstRun);
    exportHistory(env, firstRun, "manual-resolution-continued-as-new.json");
    exportHistory(env, null, "manual-resolution-after-continue-as-new.json");
  }

  @Test
  void givenAnUnknownResolutionName_whenDeserialised_itIsRejectedAsMissingRatherThanDropped() {
    assertThat(Resolution.fromJson("keep_neo4j")).isEqualTo(Resolution.KEEP_NEO4J);
    assertThat(Resolution.fromJson("KEEP_BOTH")).isNull();
    assertThat(new Approval(Resolution.fromJson("KEEP_BOTH"), "alice", null, null).malformation())
        .contains("no resolution");
    assertThat(new Approval(Resolution.DISMISS, "alice", null, 0).malformation()).contains("revision");
    assertThat(new Approval(Resolution.DISMISS, "alice", null, null).malformation()).isNull();
  }
}
