package io.graphsync.workflows.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.backflow.GraphStampActivities;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

class SyncChangeEventWorkflowTest {

  static final SyncPolicy POLICY = new SyncPolicy(Duration.ofMinutes(30), Duration.ofDays(7), Duration.ofMinutes(1));

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL = TestWorkflowExtension.newBuilder()
      .registerSearchAttribute("EntityType", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("EntityId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("TenantId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("EventType", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("SyncStatus", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .setDoNotStart(true)
      .build();

  static ChangeEvent event(EventType type, Long version) {
    return ChangeEvent.builder(EventSource.POSTGRES, type).entity("concepts", "Concept", "c-1").tenantId("t-1")
        .correlationId("tx-7").timestamp(Instant.parse("2026-11-25T10:00:00Z"))
        .data(type == EventType.DELETE ? null : Map.of("name", "graphs")).version(version).position(4242L).build();
  }

  private static final ApplicationFailure BAD_DATA = ApplicationFailure.newNonRetryableFailure(
      "concepts.score: 'abc' is not a number", FailureType.INVALID_DATA.type());

  private final GraphWriteActivities graph = mock(GraphWriteActivities.class, withSettings().withoutAnnotations());
  private final SyncStatusActivities status = mock(SyncStatusActivities.class, withSettings().withoutAnnotations());
  private final GraphReadActivities graphRead = mock(GraphReadActivities.class, withSettings().withoutAnnotations());
  private final GraphStampActivities stamp = mock(GraphStampActivities.class, withSettings().withoutAnnotations());

  private void start(TestWorkflowEnvironment env, Worker worker) {
    worker.registerWorkflowImplementationFactory(SyncChangeEventWorkflow.class,
        () -> new SyncChangeEventWorkflowImpl(POLICY));
    worker.registerActivitiesImplementations(graph, status, graphRead, stamp);
    when(status.recordSyncStatus(any())).thenReturn(true);
    env.start();
  }

  private static SyncChangeEventWorkflow stub(TestWorkflowEnvironment env, Worker worker, ChangeEvent event) {
    return env.getWorkflowClient().newWorkflowStub(SyncChangeEventWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(event.workflowId())
        .setTaskQueue(worker.getTaskQueue())
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(SyncSearchAttributes.SYNC_STATUS, SyncStatus.RUNNING.name()).build())
        .build());
  }

  /** Starts the sync and waits until it has recorded FAILED and waits for an operator. */
  private static SyncChangeEventWorkflow startUntilFailed(TestWorkflowEnvironment env, Worker worker,
      ChangeEvent event) {
    return startUntilFailed(env, worker, event, Duration.ofMillis(100));
  }

  /** {@code step}: how much workflow time passes between two looks (time skipping). */
  private static SyncChangeEventWorkflow startUntilFailed(TestWorkflowEnvironment env, Worker worker,
      ChangeEvent event, Duration step) {
    SyncChangeEventWorkflow sync = stub(env, worker, event);
    WorkflowClient.start(sync::sync, event);
    SyncChangeEventWorkflow running = env.getWorkflowClient()
        .newWorkflowStub(SyncChangeEventWorkflow.class, event.workflowId());
    long until = System.currentTimeMillis() + 10_000;
    while (running.state().status() != SyncStatus.FAILED) {
      if (System.currentTimeMillis() > until) {
        throw new AssertionError("the sync never reached FAILED: " + running.state());
      }
      env.sleep(step);
    }
    return running;
  }

  private static String syncStatusAttribute(TestWorkflowEnvironment env, ChangeEvent event) {
    return env.getWorkflowClient().newUntypedWorkflowStub(event.workflowId()).describe()
        .getTypedSearchAttributes().get(SyncSearchAttributes.SYNC_STATUS);
  }

  private static SyncOutcome result(TestWorkflowEnvironment env, ChangeEvent event) {
    return env.getWorkflowClient().newUntypedWorkflowStub(event.workflowId()).getResult(SyncOutcome.class);
  }

  private List<SyncStatusUpdate> recordedUpdates(int count) {
    ArgumentCaptor<SyncStatusUpdate> update = ArgumentCaptor.forClass(SyncStatusUpdate.class);
    verify(status, times(count)).recordSyncStatus(update.capture());
    return update.getAllValues();
  }

  @Test
  void givenHealthyStores_whenSynced_itAppliesThenMarksTheSyncedVersionSuccess(
      TestWorkflowEnvironment env, Worker worker) {
    when(graph.applyToGraph(any())).thenReturn(new GraphApplyResult(true, "4:abc:1", 1));
    start(env, worker);
    ChangeEvent event = event(EventType.UPDATE, 7L);

    SyncOutcome outcome = stub(env, worker, event).sync(event);

    assertThat(outcome).isEqualTo(new SyncOutcome(SyncStatus.SUCCESS, true, true, "4:abc:1", null));
    assertThat(recordedUpdates(1))
        .containsExactly(new SyncStatusUpdate("concepts", "c-1", 7L, SyncStatus.SUCCESS, 1, null, "4:abc:1"));
    assertThat(syncStatusAttribute(env, event)).isEqualTo("SUCCESS");
    verify(graphRead, never()).appliedPosition(anyString(), anyString());
  }

  @Test
  void givenTransientGraphFailure_whenSynced_itRetriesWithBackoffThenSucceeds(
      TestWorkflowEnvironment env, Worker worker) {
    when(graph.applyToGraph(any()))
        .thenThrow(new IllegalStateException("Neo4j: connection refused"))
        .thenThrow(new IllegalStateException("Neo4j: connection refused"))
        .thenReturn(new GraphApplyResult(true, "4:abc:1", 3));
    start(env, worker);
    ChangeEvent event = event(EventType.UPDATE, 7L);

    SyncOutcome outcome = stub(env, worker, event).sync(event);

    assertThat(outcome.status()).isEqualTo(SyncStatus.SUCCESS);
    verify(graph, times(3)).applyToGraph(event);
    assertThat(recordedUpdates(1).get(0).attempts()).isEqualTo(3);
  }

  @Test
  void givenNeo4jDownShorterThanTheRetryWindow_whenSynced_itSucceedsWithoutEverRecordingFailed(
      TestWorkflowEnvironment env, Worker worker) {
    AtomicLong backAt = new AtomicLong();
    when(graph.applyToGraph(any())).thenAnswer(call -> {
      if (env.currentTimeMillis() < backAt.get()) {
        throw new IllegalStateException("Neo4j: connection refused");
      }
      return new GraphApplyResult(true, "4:abc:1", 1);
    });
    start(env, worker);
    backAt.set(env.currentTimeMillis() + Duration.ofMinutes(25).toMillis());
    ChangeEvent event = event(EventType.UPDATE, 7L);

    SyncOutcome outcome = stub(env, worker, event).sync(event);

    assertThat(outcome.status()).isEqualTo(SyncStatus.SUCCESS);
    assertThat(env.currentTimeMillis()).isGreaterThanOrEqualTo(backAt.get());
    assertThat(recordedUpdates(1)).extracting(SyncStatusUpdate::status).containsExactly(SyncStatus.SUCCESS);
  }

  @Test
  void givenNeo4jDownLongerThanTheRetryWindow_whenSynced_itRecordsFailedWithEveryAttempt(
      TestWorkflowEnvironment env, Worker worker) {
    when(graph.applyToGraph(any())).thenThrow(new IllegalStateException("Neo4j: connection refused"));
    start(env, worker);
    ChangeEvent event = event(EventType.UPDATE, 7L);

    SyncChangeEventWorkflow sync = startUntilFailed(env, worker, event, Duration.ofMinutes(1));

    int attempts = SyncActivityOptions.maxAttempts(POLICY);
    verify(graph, times(attempts)).applyToGraph(event);
    SyncStatusUpdate failed = recordedUpdates(1).get(0);
    assertThat(failed.status()).isEqualTo(SyncStatus.FAILED);
    assertThat(failed.attempts()).isEqualTo(attempts);
    assertThat(failed.error()).contains("connection refused");
    assertThat(sync.state().attempts()).isEqualTo(attempts);
  }

  @Test
  void givenBadData_whenSynced_itRecordsFailedOnceAndWaitsForAnOperator(TestWorkflowEnvironment env, Worker worker) {
    when(graph.applyToGraph(any())).thenThrow(BAD_DATA);
    start(env, worker);
    ChangeEvent event = event(EventType.UPDATE, 7L);

    SyncChangeEventWorkflow sync = startUntilFailed(env, worker, event);

    verify(graph, times(1)).applyToGraph(event);
    assertThat(recordedUpdates(1)).containsExactly(new SyncStatusUpdate("concepts", "c-1", 7L, SyncStatus.FAILED, 1,
        "InvalidData: concepts.score: 'abc' is not a number", null));
    assertThat(syncStatusAttribute(env, event)).isEqualTo("FAILED");
    SyncState state = sync.state();
    assertThat(state.lastError()).isEqualTo("InvalidData: concepts.score: 'abc' is not a number");
    assertThat(state.decisionDeadline()).isEqualTo(state.failedAt().plus(POLICY.decisionTimeout()));
    assertThat(env.getWorkflowClient().newUntypedWorkflowStub(event.workflowId()).describe().getStatus())
        .isEqualTo(io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  }

  @Test
  void givenFailedSync_whenRetrySignalled_itReReadsTheRowAndRecordsRetryingThenSuccess(
      TestWorkflowEnvironment env, Worker worker) {
    ChangeEvent event = event(EventType.UPDATE, 7L);
    when(graph.applyToGraph(event)).thenThrow(BAD_DATA);
    when(graph.applyToGraph(event.withDataFromSource())).thenReturn(new GraphApplyResult(true, "4:abc:1", 1));
    start(env, worker);
    SyncChangeEventWorkflow sync = startUntilFailed(env, worker, event);

    sync.retry();
    SyncOutcome outcome = result(env, event);

    assertThat(outcome).isEqualTo(new SyncOutcome(SyncStatus.SUCCESS, true, true, "4:abc:1", null));
    verify(graph).applyToGraph(event.withDataFromSource());
    assertThat(recordedUpdates(3)).extracting(SyncStatusUpdate::status, SyncStatusUpdate::attempts)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(SyncStatus.FAILED, 1),
            org.assertj.core.groups.Tuple.tuple(SyncStatus.RETRYING, 1),
            org.assertj.core.groups.Tuple.tuple(SyncStatus.SUCCESS, 2));
    assertThat(syncStatusAttribute(env, event)).isEqualTo("SUCCESS");
    assertThat(sync.state().operatorRetries()).isEqualTo(1);
  }

  @Test
  void givenFailedSync_whenRetryFailsAgain_itWaitsAgainWithTheAttemptsAddedUp(
      TestWorkflowEnvironment env, Worker worker) {
    when(graph.applyToGraph(any())).thenThrow(BAD_DATA);
    start(env, worker);
    ChangeEvent event = event(EventType.UPDATE, 7L);
    SyncChangeEventWorkflow sync = startUntilFailed(env, worker, event);

    sync.retry();
    long until = System.currentTimeMillis() + 10_000;
    while (sync.state().operatorRetries() < 1 || sync.state().status() != SyncStatus.FAILED) {
      assertThat(System.currentTimeMillis()).isLessThan(until);
      env.sleep(Duration.ofMillis(100));
    }

    assertThat(sync.state().attempts()).isEqualTo(2);
    assertThat(syncStatusAttribute(env, event)).isEqualTo("FAILED");
  }

  @Test
  void givenFailedSync_whenSkipSignalled_itRecordsSkippedWithTheReason(TestWorkflowEnvironment env, Worker worker) {
    when(graph.applyToGraph(any())).thenThrow(BAD_DATA);
    start(env, worker);
    ChangeEvent event = event(EventType.UPDATE, 7L);
    SyncChangeEventWorkflow sync = startUntilFailed(env, worker, event);

    sync.skip("test row, deleted upstream");
    SyncOutcome outcome = result(env, event);

    assertThat(outcome).isEqualTo(new SyncOutcome(SyncStatus.SKIPPED, false, true, null,
        "test row, deleted upstream"));
    assertThat(recordedUpdates(2).get(1))
        .isEqualTo(new SyncStatusUpdate("concepts", "c-1", 7L, SyncStatus.SKIPPED, 1, "test row, deleted upstream",
            null));
    assertThat(syncStatusAttribute(env, event)).isEqualTo("SKIPPED");
    verify(graph, times(1)).applyToGraph(any());
  }

  @Test
  void givenARunningSync_whenSignalled_itIgnoresTheSignal(TestWorkflowEnvironment env, Worker worker) {
    when(graph.applyToGraph(any())).thenAnswer(call -> {
      Thread.sleep(500);
      return new GraphApplyResult(true, "4:abc:1", 1);
    });
    start(env, worker);
    ChangeEvent event = event(EventType.UPDATE, 7L);
    SyncChangeEventWorkflow sync = stub(env, worker, event);
    WorkflowClient.start(sync::sync, event);

    env.getWorkflowClient().newWorkflowStub(SyncChangeEventWorkflow.class, event.workflowId()).skip("too early");

    assertThat(result(env, event).status()).isEqualTo(SyncStatus.SUCCESS);
    verify(graph, times(1)).applyToGraph(any());
  }

  @Test
  void givenFailedSync_whenANewerChangeReachesTheGraph_itClosesAsSkippedWithoutTouchingTheRow(
      TestWorkflowEnvironment env, Worker worker) {
    when(graph.applyToGraph(any())).thenThrow(BAD_DATA);
    when(graphRead.appliedPosition("concepts", "c-1")).thenReturn(-1L, 4242L, 5000L);
    start(env, worker);
    ChangeEvent event = event(EventType.UPDATE, 7L);
    startUntilFailed(env, worker, event);

    SyncOutcome outcome = result(env, event);

    assertThat(outcome.status()).isEqualTo(SyncStatus.SKIPPED);
    assertThat(outcome.statusRecorded()).isFalse();
    assertThat(outcome.detail()).contains("position 5000");
    verify(graphRead, times(3)).appliedPosition("concepts", "c-1");
    assertThat(recordedUpdates(1)).extracting(SyncStatusUpdate::status).containsExactly(SyncStatus.FAILED);
    assertThat(syncStatusAttribute(env, event)).isEqualTo("SKIPPED");
  }

  @Test
  void givenFailedSync_whenNobodyDecides_itFailsAtTheDeadlineAndLeavesTheRowFailed(
      TestWorkflowEnvironment env, Worker worker) {
    when(graph.applyToGraph(any())).thenThrow(BAD_DATA);
    when(graphRead.appliedPosition(anyString(), anyString())).thenReturn(-1L);
    start(env, worker);
    ChangeEvent event = event(EventType.UPDATE, 7L);
    startUntilFailed(env, worker, event);
    long failedAt = env.currentTimeMillis();

    WorkflowStub untyped = env.getWorkflowClient().newUntypedWorkflowStub(event.workflowId());
    assertThatThrownBy(() -> untyped.getResult(SyncOutcome.class))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOf(ApplicationFailure.class)
        .satisfies(failure -> assertThat(((ApplicationFailure) failure).getType())
            .isEqualTo(FailureType.DECISION_TIMEOUT.type()));

    // failedAt is read after the test saw FAILED, a moment after the workflow's deadline timer started
    assertThat(env.currentTimeMillis() - failedAt)
        .isGreaterThanOrEqualTo(POLICY.decisionTimeout().minusSeconds(5).toMillis());
    // the checks back off: 1, 2, 4, ... minutes up to an hour, not one per minute for a week
    verify(graphRead, atLeastOnce()).appliedPosition("concepts", "c-1");
    verify(graphRead, org.mockito.Mockito.atMost(7 * 24 + 10)).appliedPosition("concepts", "c-1");
    assertThat(recordedUpdates(1)).extracting(SyncStatusUpdate::status).containsExactly(SyncStatus.FAILED);
    assertThat(syncStatusAttribute(env, event)).isEqualTo("FAILED");
  }

  @Test
  void givenDelete_whenSynced_itAppliesTheTombstoneAndMarksNoRow(TestWorkflowEnvironment env, Worker worker) {
    when(graph.applyToGraph(any())).thenReturn(new GraphApplyResult(true, null, 1));
    start(env, worker);
    ChangeEvent event = event(EventType.DELETE, 7L);

    SyncOutcome outcome = stub(env, worker, event).sync(event);

    assertThat(outcome).isEqualTo(new SyncOutcome(SyncStatus.SUCCESS, true, false, null, null));
    verify(status, never()).recordSyncStatus(any());
  }

  @Test
  void givenTheSameChangeStartedTwice_whenStarting_itRunsOneWorkflow(TestWorkflowEnvironment env, Worker worker) {
    when(graph.applyToGraph(any())).thenReturn(new GraphApplyResult(true, "4:abc:1", 1));
    start(env, worker);
    ChangeEvent event = event(EventType.CREATE, 1L);

    WorkflowClient.start(stub(env, worker, event)::sync, event);
    assertThatThrownBy(() -> WorkflowClient.start(stub(env, worker, event)::sync, event))
        .isInstanceOf(io.temporal.client.WorkflowExecutionAlreadyStarted.class);
    result(env, event);

    verify(graph, times(1)).applyToGraph(event);
  }

  @Test
  void givenTheBackflowsOwnWrite_whenSynced_itStampsTheGraphInsteadOfApplyingIt(TestWorkflowEnvironment env,
      Worker worker) {
    ChangeEvent base = event(EventType.CREATE, 1L);
    ChangeEvent echo = base.toBuilder().data(Map.of("name", "graphs", "sync_origin", "neo4j:1")).previousData(null)
        .source(EventSource.NEO4J).version(1L).build();
    when(stamp.stampFromPostgres(any())).thenReturn(new GraphApplyResult(true, "4:x:1", 1));
    start(env, worker);

    SyncOutcome outcome = stub(env, worker, echo).sync(echo);

    assertThat(outcome.status()).isEqualTo(SyncStatus.SUCCESS);
    verify(stamp).stampFromPostgres(echo);
    verify(graph, never()).applyToGraph(any());
    verify(status).recordSyncStatus(any());
  }
}
