package io.graphsync.workflows.backflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.EscalationActivities;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.graphsync.workflows.sync.GraphWriteActivities;
import io.graphsync.workflows.sync.SyncPolicy;
import io.graphsync.workflows.sync.SyncStatus;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

class Neo4jToPostgresSyncWorkflowTest {

  static final SyncPolicy POLICY = new SyncPolicy(Duration.ofMinutes(30), Duration.ofDays(7), Duration.ofMinutes(1));

  static final GraphChange CHANGE = new GraphChange("Concept", false, "concepts", "c-1", "t-1", 2,
      Instant.parse("2026-12-01T10:00:00Z"));

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL = TestWorkflowExtension.newBuilder()
      .registerSearchAttribute("EntityType", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("EntityId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("TenantId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("SyncStatus", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("Source", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .setDoNotStart(true)
      .build();

  private final BackflowActivities backflow = mock(BackflowActivities.class, withSettings().withoutAnnotations());
  private final GraphWriteActivities graph = mock(GraphWriteActivities.class, withSettings().withoutAnnotations());
  private final EscalationActivities escalation =
      mock(EscalationActivities.class, withSettings().withoutAnnotations());
  private final GraphStampActivities stamp = mock(GraphStampActivities.class, withSettings().withoutAnnotations());

  private void start(TestWorkflowEnvironment env, Worker worker) {
    worker.registerWorkflowImplementationFactory(Neo4jToPostgresSyncWorkflow.class,
        () -> new Neo4jToPostgresSyncWorkflowImpl(POLICY));
    worker.registerActivitiesImplementations(backflow, graph, escalation, stamp);
    env.start();
  }

  private static Neo4jToPostgresSyncWorkflow stub(TestWorkflowEnvironment env, Worker worker) {
    return env.getWorkflowClient().newWorkflowStub(Neo4jToPostgresSyncWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(CHANGE.workflowId())
        .setTaskQueue(worker.getTaskQueue())
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(SyncSearchAttributes.SOURCE, "NEO4J")
            .set(SyncSearchAttributes.SYNC_STATUS, SyncStatus.RUNNING.name()).build())
        .build());
  }

  @Test
  void givenAGraphBornNode_whenWritten_itStampsTheNodeWithTheRowVersion(TestWorkflowEnvironment env, Worker worker) {
    when(backflow.writeToPostgres(CHANGE)).thenReturn(new BackflowWrite(BackflowOutcome.WRITTEN, 1L, null, "ok"));
    start(env, worker);

    BackflowWrite result = stub(env, worker).sync(CHANGE);

    assertThat(result.outcome()).isEqualTo(BackflowOutcome.WRITTEN);
    verify(backflow).stampGraph(CHANGE, 1L);
    verify(graph, never()).applyToGraph(any());
    assertThat(env.getWorkflowClient().newUntypedWorkflowStub(CHANGE.workflowId()).describe()
        .getTypedSearchAttributes().get(SyncSearchAttributes.SYNC_STATUS)).isEqualTo("SUCCESS");
  }

  @Test
  void givenPostgresWins_whenSynced_itRewritesTheGraphFromTheRowAndMarksTheChangeHandled(
      TestWorkflowEnvironment env, Worker worker) {
    ChangeEvent rewrite = ChangeEvent.builder(EventSource.RECONCILIATION, EventType.UPDATE)
        .entity("concepts", "Concept", "c-1").tenantId("t-1").timestamp(Instant.parse("2026-12-01T10:00:01Z"))
        .version(3L).position(99).dataOmitted(true).build();
    when(backflow.writeToPostgres(CHANGE))
        .thenReturn(new BackflowWrite(BackflowOutcome.POSTGRES_WINS, 3L, null, "both changed"));
    when(backflow.rewriteFromPostgres(CHANGE)).thenReturn(rewrite);
    when(graph.applyToGraph(rewrite)).thenReturn(new GraphApplyResult(true, "4:x:1", 1));
    start(env, worker);

    BackflowWrite result = stub(env, worker).sync(CHANGE);

    assertThat(result.outcome()).isEqualTo(BackflowOutcome.POSTGRES_WINS);
    verify(graph).applyToGraph(rewrite);
    verify(backflow).stampGraph(eq(CHANGE), isNull());
  }

  @Test
  void givenManualPolicy_whenBothChanged_itEscalatesTheConflict(TestWorkflowEnvironment env, Worker worker) {
    Conflict conflict = new Conflict("concepts", "Concept", "c-1", "t-1", "CHANGED_IN_NEO4J_AND_POSTGRES", 3L, 2L,
        Map.of("name", "pg"), Map.of("name", "graph"), List.of(), Instant.parse("2026-12-01T10:00:00Z"), "x");
    when(backflow.writeToPostgres(CHANGE))
        .thenReturn(new BackflowWrite(BackflowOutcome.MANUAL, 3L, conflict, "both changed"));
    start(env, worker);

    BackflowWrite result = stub(env, worker).sync(CHANGE);

    assertThat(result.outcome()).isEqualTo(BackflowOutcome.MANUAL);
    assertThat(result.detail()).contains("the node is held").contains(conflict.workflowId());
    // held before the conflict is handed over, and before the change is marked handled (which ends the wait of the
    // PostgreSQL change): the graph edit survives until the decision
    InOrder order = inOrder(stamp, escalation, backflow);
    order.verify(stamp).holdForDecision(conflict);
    order.verify(escalation).escalate(conflict);
    order.verify(backflow).stampGraph(eq(CHANGE), isNull());
    verify(stamp, never()).releaseHold(any());
  }

  @Test
  void givenManualPolicy_whenTheEscalationFailsAndIsSkipped_itReleasesTheHoldNobodyWouldRelease(
      TestWorkflowEnvironment env, Worker worker) {
    Conflict conflict = new Conflict("concepts", "Concept", "c-1", "t-1", "CHANGED_IN_NEO4J_AND_POSTGRES", 3L, 2L,
        Map.of("name", "pg"), Map.of("name", "graph"), List.of(), Instant.parse("2026-12-01T10:00:00Z"), "x");
    when(backflow.writeToPostgres(CHANGE))
        .thenReturn(new BackflowWrite(BackflowOutcome.MANUAL, 3L, conflict, "both changed"));
    doThrow(ApplicationFailure.newNonRetryableFailure("no", FailureType.INVALID_DATA.type()))
        .when(escalation).escalate(conflict);
    start(env, worker);
    WorkflowClient.start(stub(env, worker)::sync, CHANGE);
    Neo4jToPostgresSyncWorkflow running = env.getWorkflowClient()
        .newWorkflowStub(Neo4jToPostgresSyncWorkflow.class, CHANGE.workflowId());
    long until = System.currentTimeMillis() + 10_000;
    while (running.state().status() != SyncStatus.FAILED && System.currentTimeMillis() < until) {
      env.sleep(Duration.ofMillis(100));
    }
    assertThat(running.state().status()).isEqualTo(SyncStatus.FAILED);

    running.skip("test data");
    BackflowWrite result = env.getWorkflowClient().newUntypedWorkflowStub(CHANGE.workflowId())
        .getResult(BackflowWrite.class);

    assertThat(result.outcome()).isEqualTo(BackflowOutcome.NOTHING_TO_DO);
    InOrder order = inOrder(stamp, backflow);
    order.verify(stamp).holdForDecision(conflict);
    order.verify(stamp).releaseHold(conflict);
    order.verify(backflow).stampGraph(eq(CHANGE), isNull());
  }

  @Test
  void givenBadData_whenItFails_itWaitsFailedAndSucceedsOnRetry(TestWorkflowEnvironment env, Worker worker) {
    when(backflow.writeToPostgres(CHANGE))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("tenant_id is null", FailureType.INVALID_DATA.type()))
        .thenReturn(new BackflowWrite(BackflowOutcome.WRITTEN, 1L, null, "ok"));
    start(env, worker);

    WorkflowClient.start(stub(env, worker)::sync, CHANGE);
    Neo4jToPostgresSyncWorkflow running = env.getWorkflowClient()
        .newWorkflowStub(Neo4jToPostgresSyncWorkflow.class, CHANGE.workflowId());
    long until = System.currentTimeMillis() + 10_000;
    while (running.state().status() != SyncStatus.FAILED && System.currentTimeMillis() < until) {
      env.sleep(Duration.ofMillis(100));
    }
    assertThat(running.state().status()).isEqualTo(SyncStatus.FAILED);
    assertThat(running.state().lastError()).contains("InvalidData");

    running.retry();
    BackflowWrite result = env.getWorkflowClient().newUntypedWorkflowStub(CHANGE.workflowId())
        .getResult(BackflowWrite.class);
    assertThat(result.outcome()).isEqualTo(BackflowOutcome.WRITTEN);
    verify(backflow).stampGraph(CHANGE, 1L);
  }

  @Test
  void givenAFailedChange_whenSkipped_itMarksTheChangeHandledWithoutWriting(TestWorkflowEnvironment env,
      Worker worker) {
    when(backflow.writeToPostgres(CHANGE))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("not a uuid", FailureType.INVALID_DATA.type()));
    start(env, worker);

    WorkflowClient.start(stub(env, worker)::sync, CHANGE);
    Neo4jToPostgresSyncWorkflow running = env.getWorkflowClient()
        .newWorkflowStub(Neo4jToPostgresSyncWorkflow.class, CHANGE.workflowId());
    long until = System.currentTimeMillis() + 10_000;
    while (running.state().status() != SyncStatus.FAILED && System.currentTimeMillis() < until) {
      env.sleep(Duration.ofMillis(100));
    }
    running.skip("graph-side test data");
    BackflowWrite result = env.getWorkflowClient().newUntypedWorkflowStub(CHANGE.workflowId())
        .getResult(BackflowWrite.class);

    assertThat(result.outcome()).isEqualTo(BackflowOutcome.NOTHING_TO_DO);
    assertThat(running.state().status()).isEqualTo(SyncStatus.SKIPPED);
    verify(backflow).stampGraph(eq(CHANGE), isNull());
  }
}
