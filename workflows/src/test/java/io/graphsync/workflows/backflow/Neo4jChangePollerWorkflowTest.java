package io.graphsync.workflows.backflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

class Neo4jChangePollerWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL = TestWorkflowExtension.newBuilder().setDoNotStart(true).build();

  private final BackflowActivities backflow = mock(BackflowActivities.class, withSettings().withoutAnnotations());
  private final BackflowStartActivities starts =
      mock(BackflowStartActivities.class, withSettings().withoutAnnotations());

  @Test
  void givenGraphChanges_whenPolled_itStartsOneSyncEachAndCarriesTheWatermarkAcrossContinueAsNew(
      TestWorkflowEnvironment env, Worker worker) {
    Instant first = Instant.parse("2026-12-01T10:00:00Z");
    GraphChange a = new GraphChange("Concept", false, "concepts", "c-1", "t-1", 1, first);
    GraphChange b = new GraphChange("RELATED_TO", true, "concept_relations", "c-1|c-2", "t-1", 1,
        first.plusSeconds(1));
    List<PollRequest> requests = new CopyOnWriteArrayList<>();
    when(backflow.pollChanges(any())).thenAnswer(call -> {
      PollRequest request = call.getArgument(0);
      requests.add(request);
      return requests.size() == 1 ? new PollResult(List.of(a, b), b.modifiedAt(), false)
          : new PollResult(List.of(), request.since(), false);
    });
    when(starts.startSyncs(any())).thenAnswer(call -> ((List<?>) call.getArgument(0)).size());
    worker.registerWorkflowImplementationTypes(Neo4jChangePollerWorkflowImpl.class);
    worker.registerActivitiesImplementations(backflow, starts);
    env.start();

    Neo4jChangePollerWorkflow poller = env.getWorkflowClient().newWorkflowStub(Neo4jChangePollerWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(Neo4jChangePollerWorkflow.WORKFLOW_ID)
            .setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(poller::poll, PollerState.initial(Duration.ofSeconds(5)));
    // more than one run's worth of polls: the poller continued as new at least once
    env.sleep(Duration.ofSeconds(5L * (Neo4jChangePollerWorkflowImpl.POLLS_PER_RUN + 20)));

    @SuppressWarnings("unchecked")
    ArgumentCaptor<List<GraphChange>> started = ArgumentCaptor.forClass(List.class);
    verify(starts).startSyncs(started.capture());
    assertThat(started.getValue()).containsExactly(a, b);
    verify(backflow, atLeast(Neo4jChangePollerWorkflowImpl.POLLS_PER_RUN + 1)).pollChanges(any());
    assertThat(requests.get(0).since()).isNull();
    assertThat(requests.get(requests.size() - 1).since()).isEqualTo(b.modifiedAt());
    Neo4jChangePollerWorkflow current = env.getWorkflowClient()
        .newWorkflowStub(Neo4jChangePollerWorkflow.class, Neo4jChangePollerWorkflow.WORKFLOW_ID);
    assertThat(current.progress().watermark()).isEqualTo(b.modifiedAt());
    assertThat(current.progress().started()).isEqualTo(2);
  }
}
