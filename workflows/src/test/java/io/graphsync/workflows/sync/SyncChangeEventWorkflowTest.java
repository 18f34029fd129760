package io.graphsync.workflows.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

class SyncChangeEventWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(SyncChangeEventWorkflowImpl.class)
      .registerSearchAttribute("EntityType", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("EntityId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("TenantId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("EventType", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("SyncStatus", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .setDoNotStart(true)
      .build();

  static ChangeEvent event(EventType type, Long version) {
    return new ChangeEvent(ChangeEvent.eventIdOf("concepts", "c-1", 4242), "tx-7", type, "Concept", "c-1", "t-1",
        Instant.parse("2026-11-25T10:00:00Z"), type == EventType.DELETE ? null : Map.of("name", "graphs"),
        null, null, EventSource.POSTGRES, version, 4242L, "concepts", false);
  }

  private static GraphWriteActivities graph() {
    return mock(GraphWriteActivities.class, withSettings().withoutAnnotations());
  }

  private static SyncStatusActivities status() {
    return mock(SyncStatusActivities.class, withSettings().withoutAnnotations());
  }

  private static SyncChangeEventWorkflow stub(TestWorkflowEnvironment env, Worker worker, ChangeEvent event) {
    return env.getWorkflowClient().newWorkflowStub(SyncChangeEventWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(event.workflowId())
        .setTaskQueue(worker.getTaskQueue())
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(SyncSearchAttributes.SYNC_STATUS, SyncStatus.RUNNING.name()).build())
        .build());
  }

  private static String syncStatusAttribute(TestWorkflowEnvironment env, ChangeEvent event) {
    return env.getWorkflowClient().newUntypedWorkflowStub(event.workflowId()).describe()
        .getTypedSearchAttributes().get(SyncSearchAttributes.SYNC_STATUS);
  }

  @Test
  void givenHealthyStores_whenSynced_itAppliesThenMarksTheSyncedVersionSuccess(
      TestWorkflowEnvironment env, Worker worker) {
    GraphWriteActivities graph = graph();
    SyncStatusActivities status = status();
    when(graph.applyToGraph(any())).thenReturn(new GraphApplyResult(true, "4:abc:1", 1));
    when(status.recordSyncStatus(any())).thenReturn(true);
    worker.registerActivitiesImplementations(graph, status);
    env.start();
    ChangeEvent event = event(EventType.UPDATE, 7L);

    SyncOutcome outcome = stub(env, worker, event).sync(event);

    assertThat(outcome).isEqualTo(new SyncOutcome(SyncStatus.SUCCESS, true, true, "4:abc:1"));
    ArgumentCaptor<SyncStatusUpdate> update = ArgumentCaptor.forClass(SyncStatusUpdate.class);
    verify(status).recordSyncStatus(update.capture());
    assertThat(update.getValue())
        .isEqualTo(new SyncStatusUpdate("concepts", "c-1", 7L, SyncStatus.SUCCESS, 1, null, "4:abc:1"));
    assertThat(syncStatusAttribute(env, event)).isEqualTo("SUCCESS");
  }

  @Test
  void givenTransientGraphFailure_whenSynced_itRetriesWithBackoffThenSucceeds(
      TestWorkflowEnvironment env, Worker worker) {
    GraphWriteActivities graph = graph();
    SyncStatusActivities status = status();
    when(graph.applyToGraph(any()))
        .thenThrow(new IllegalStateException("Neo4j: connection refused"))
        .thenThrow(new IllegalStateException("Neo4j: connection refused"))
        .thenReturn(new GraphApplyResult(true, "4:abc:1", 3));
    when(status.recordSyncStatus(any())).thenReturn(true);
    worker.registerActivitiesImplementations(graph, status);
    env.start();
    ChangeEvent event = event(EventType.UPDATE, 7L);

    SyncOutcome outcome = stub(env, worker, event).sync(event);

    assertThat(outcome.status()).isEqualTo(SyncStatus.SUCCESS);
    verify(graph, times(3)).applyToGraph(event);
    ArgumentCaptor<SyncStatusUpdate> update = ArgumentCaptor.forClass(SyncStatusUpdate.class);
    verify(status).recordSyncStatus(update.capture());
    assertThat(update.getValue().attempts()).isEqualTo(3);
  }

  @Test
  void givenBadData_whenSynced_itFailsWithoutRetryAndRecordsFailed(TestWorkflowEnvironment env, Worker worker) {
    GraphWriteActivities graph = graph();
    SyncStatusActivities status = status();
    when(graph.applyToGraph(any())).thenThrow(ApplicationFailure.newNonRetryableFailure(
        "concepts.score: 'abc' is not a number", FailureType.INVALID_DATA.type()));
    when(status.recordSyncStatus(any())).thenReturn(true);
    worker.registerActivitiesImplementations(graph, status);
    env.start();
    ChangeEvent event = event(EventType.UPDATE, 7L);

    assertThatThrownBy(() -> stub(env, worker, event).sync(event))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("is not a number");

    verify(graph, times(1)).applyToGraph(event);
    ArgumentCaptor<SyncStatusUpdate> update = ArgumentCaptor.forClass(SyncStatusUpdate.class);
    verify(status).recordSyncStatus(update.capture());
    assertThat(update.getValue().status()).isEqualTo(SyncStatus.FAILED);
    assertThat(update.getValue().error()).isEqualTo("InvalidData: concepts.score: 'abc' is not a number");
    assertThat(update.getValue().version()).isEqualTo(7L);
    assertThat(syncStatusAttribute(env, event)).isEqualTo("FAILED");
  }

  @Test
  void givenDelete_whenSynced_itAppliesTheTombstoneAndMarksNoRow(TestWorkflowEnvironment env, Worker worker) {
    GraphWriteActivities graph = graph();
    SyncStatusActivities status = status();
    when(graph.applyToGraph(any())).thenReturn(new GraphApplyResult(true, null, 1));
    worker.registerActivitiesImplementations(graph, status);
    env.start();
    ChangeEvent event = event(EventType.DELETE, 7L);

    SyncOutcome outcome = stub(env, worker, event).sync(event);

    assertThat(outcome).isEqualTo(new SyncOutcome(SyncStatus.SUCCESS, true, false, null));
    verify(status, never()).recordSyncStatus(any());
  }

  @Test
  void givenTheSameChangeStartedTwice_whenStarting_itRunsOneWorkflow(TestWorkflowEnvironment env, Worker worker) {
    GraphWriteActivities graph = graph();
    SyncStatusActivities status = status();
    when(graph.applyToGraph(any())).thenReturn(new GraphApplyResult(true, "4:abc:1", 1));
    when(status.recordSyncStatus(any())).thenReturn(true);
    worker.registerActivitiesImplementations(graph, status);
    env.start();
    ChangeEvent event = event(EventType.CREATE, 1L);

    WorkflowClient.start(stub(env, worker, event)::sync, event);
    assertThatThrownBy(() -> WorkflowClient.start(stub(env, worker, event)::sync, event))
        .isInstanceOf(io.temporal.client.WorkflowExecutionAlreadyStarted.class);
    env.getWorkflowClient().newUntypedWorkflowStub(event.workflowId()).getResult(SyncOutcome.class);

    verify(graph, times(1)).applyToGraph(event);
  }
}
