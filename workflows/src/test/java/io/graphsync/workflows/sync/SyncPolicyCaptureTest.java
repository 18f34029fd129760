package io.graphsync.workflows.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A FAILED sync waits by the policy it recorded when it started to wait: replayed by a worker configured otherwise
 * (another decision timeout, another superseded-check interval), its history still replays. Without the recorded
 * policy the replay would reach the shorter decision timeout before the second superseded check and fail as
 * non-deterministic.
 */
class SyncPolicyCaptureTest {

  private static final SyncPolicy WHEN_IT_RAN =
      new SyncPolicy(Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofMinutes(1));
  private static final SyncPolicy AFTER_A_RESTART =
      new SyncPolicy(Duration.ofMinutes(10), Duration.ofMinutes(2), Duration.ofMinutes(7));

  @Test
  void givenAHistoryOfAWaitingSync_whenReplayedWithAnotherPolicy_itIsDeterministic() throws Exception {
    WorkflowExecutionHistory history = waitCheckAndSkip();

    replay(history, WHEN_IT_RAN);
    replay(history, AFTER_A_RESTART);
    assertThat(history.getEvents()).anyMatch(event -> event.hasMarkerRecordedEventAttributes()
        && event.getMarkerRecordedEventAttributes().getMarkerName().equals("SideEffect"));
    String stored = System.getProperty("graphsync.storeHistory");
    if (stored != null) {
      Files.writeString(Path.of(stored), history.toJson(true));
    }
  }

  /** Runs a sync that fails on bad data, waits 5 minutes (superseded checks at 1 and 3 minutes), then is skipped. */
  private static WorkflowExecutionHistory waitCheckAndSkip() {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    try {
      for (String name : new String[] {"EntityType", "EntityId", "TenantId", "EventType", "SyncStatus"}) {
        env.registerSearchAttribute(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      }
      Worker worker = env.newWorker("policy-capture");
      worker.registerWorkflowImplementationFactory(SyncChangeEventWorkflow.class,
          () -> new SyncChangeEventWorkflowImpl(WHEN_IT_RAN));
      GraphWriteActivities graph = mock(GraphWriteActivities.class, withSettings().withoutAnnotations());
      SyncStatusActivities status = mock(SyncStatusActivities.class, withSettings().withoutAnnotations());
      GraphReadActivities graphRead = mock(GraphReadActivities.class, withSettings().withoutAnnotations());
      when(graph.applyToGraph(any())).thenThrow(ApplicationFailure.newNonRetryableFailure(
          "concepts.score: 'abc' is not a number", FailureType.INVALID_DATA.type()));
      when(status.recordSyncStatus(any())).thenReturn(true);
      when(graphRead.appliedPosition(any(), any())).thenReturn(-1L);
      worker.registerActivitiesImplementations(graph, status, graphRead);
      env.start();
      ChangeEvent event = SyncChangeEventWorkflowTest.event(EventType.UPDATE, 7L);
      SyncChangeEventWorkflow sync = env.getWorkflowClient().newWorkflowStub(SyncChangeEventWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(event.workflowId()).setTaskQueue(worker.getTaskQueue())
              .setTypedSearchAttributes(SearchAttributes.newBuilder()
                  .set(SyncSearchAttributes.SYNC_STATUS, SyncStatus.RUNNING.name()).build())
              .build());
      WorkflowClient.start(sync::sync, event);
      SyncChangeEventWorkflow running = env.getWorkflowClient()
          .newWorkflowStub(SyncChangeEventWorkflow.class, event.workflowId());
      env.sleep(Duration.ofMinutes(5));
      assertThat(running.state().status()).isEqualTo(SyncStatus.FAILED);
      running.skip("checked by hand");
      assertThat(env.getWorkflowClient().newUntypedWorkflowStub(event.workflowId()).getResult(SyncOutcome.class)
          .status()).isEqualTo(SyncStatus.SKIPPED);
      return env.getWorkflowClient().fetchHistory(event.workflowId());
    } finally {
      env.close();
    }
  }

  private static void replay(WorkflowExecutionHistory history, SyncPolicy policy) throws Exception {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    try {
      Worker worker = env.newWorker("replay");
      worker.registerWorkflowImplementationFactory(SyncChangeEventWorkflow.class,
          () -> new SyncChangeEventWorkflowImpl(policy));
      WorkflowReplayer.replayWorkflowExecution(history, worker);
    } finally {
      env.close();
    }
  }
}
