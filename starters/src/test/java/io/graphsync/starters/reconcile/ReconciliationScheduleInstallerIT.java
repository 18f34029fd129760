package io.graphsync.starters.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The reconciliation Schedule on the real Temporal dev server: created, updated idempotently, fires. */
@ExtendWith(GraphsyncExtension.class)
class ReconciliationScheduleInstallerIT {

  private static ScheduleClient schedules;
  private static WorkflowClient workflows;

  @BeforeAll
  static void connect(WorkflowClient client) {
    workflows = client;
    schedules = ScheduleClient.newInstance(client.getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder().setNamespace(client.getOptions().getNamespace()).build());
  }

  private static ReconciliationScheduleInstaller.Settings settings(String id, Duration interval, boolean paused) {
    // a task queue without workers: the started workflows stay visible and do nothing
    return new ReconciliationScheduleInstaller.Settings(id, interval, paused, "ReconciliationWorkflow",
        "no-worker-" + id, "reconcile/scheduled", Map.of("pageSize", 500), Duration.ofHours(6));
  }

  @Test
  void givenNoSchedule_whenInstalledTwice_itIsCreatedThenUpdatedInPlace() {
    String id = "reconcile-" + UUID.randomUUID();
    ReconciliationScheduleInstaller installer = new ReconciliationScheduleInstaller(schedules);

    assertThat(installer.install(settings(id, Duration.ofHours(1), false)))
        .isEqualTo(ReconciliationScheduleInstaller.Outcome.CREATED);
    assertThat(installer.install(settings(id, Duration.ofMinutes(30), false)))
        .isEqualTo(ReconciliationScheduleInstaller.Outcome.UPDATED);

    ScheduleDescription description = schedules.getHandle(id).describe();
    assertThat(description.getSchedule().getSpec().getIntervals()).extracting(ScheduleIntervalSpec::getEvery)
        .containsExactly(Duration.ofMinutes(30));
    assertThat(description.getSchedule().getPolicy().getOverlap())
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP);
    assertThat(description.getSchedule().getState().isPaused()).isFalse();
    assertThat(schedules.listSchedules(null).map(s -> s.getScheduleId()).toList()).contains(id);
  }

  @Test
  void givenAnOperatorPausedTheSchedule_whenTheAppStartsAgain_itStaysPaused() {
    String id = "reconcile-" + UUID.randomUUID();
    ReconciliationScheduleInstaller installer = new ReconciliationScheduleInstaller(schedules);
    installer.install(settings(id, Duration.ofHours(1), false));
    schedules.getHandle(id).pause("investigating drift, OPS-7");

    installer.install(settings(id, Duration.ofHours(1), false));

    ScheduleDescription description = schedules.getHandle(id).describe();
    assertThat(description.getSchedule().getState().isPaused()).isTrue();
    assertThat(description.getSchedule().getState().getNote()).isEqualTo("investigating drift, OPS-7");
  }

  @Test
  void givenTheSchedule_whenTriggered_itStartsAReconciliationWorkflow() throws Exception {
    String id = "reconcile-" + UUID.randomUUID();
    new ReconciliationScheduleInstaller(schedules).install(settings(id, Duration.ofHours(1), true));
    ScheduleHandle handle = schedules.getHandle(id);

    handle.trigger();

    List<String> started = Await.until("the triggered schedule starts a workflow", Duration.ofSeconds(30),
        () -> handle.describe().getInfo().getRecentActions().stream()
            .map(action -> ((ScheduleActionExecutionStartWorkflow) action.getAction()).getWorkflowId()).toList(),
        actions -> !actions.isEmpty());
    assertThat(started).hasSize(1);
    assertThat(started.get(0)).startsWith("reconcile/scheduled");
    assertThat(workflows.newUntypedWorkflowStub(started.get(0)).describe().getWorkflowType())
        .isEqualTo("ReconciliationWorkflow");
    for (String workflowId : started) {
      workflows.newUntypedWorkflowStub(workflowId).terminate("test done");
    }
  }
}
