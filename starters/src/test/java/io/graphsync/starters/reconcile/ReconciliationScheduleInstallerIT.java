package io.graphsync.starters.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.dev.TemporalDevServer;
import io.graphsync.dev.TemporalExtension;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The reconciliation Schedule on the real Temporal dev server: created, updated idempotently, fires. */
@ExtendWith(TemporalExtension.class)
class ReconciliationScheduleInstallerIT {

  private static WorkflowServiceStubs stubs;
  private static ScheduleClient schedules;
  private static WorkflowClient workflows;

  @BeforeAll
  static void connect(TemporalDevServer temporal) {
    stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
    schedules = ScheduleClient.newInstance(stubs,
        ScheduleClientOptions.newBuilder().setNamespace(temporal.namespace()).build());
    workflows = WorkflowClient.newInstance(stubs,
        WorkflowClientOptions.newBuilder().setNamespace(temporal.namespace()).build());
  }

  @AfterAll
  static void close() {
    stubs.shutdown();
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

    Instant deadline = Instant.now().plusSeconds(30);
    List<String> started = List.of();
    while (started.isEmpty() && Instant.now().isBefore(deadline)) {
      started = handle.describe().getInfo().getRecentActions().stream()
          .map(action -> ((ScheduleActionExecutionStartWorkflow) action.getAction()).getWorkflowId()).toList();
      Thread.sleep(200);
    }
    assertThat(started).hasSize(1);
    assertThat(started.get(0)).startsWith("reconcile/scheduled");
    assertThat(workflows.newUntypedWorkflowStub(started.get(0)).describe().getWorkflowType())
        .isEqualTo("ReconciliationWorkflow");
    for (String workflowId : started) {
      workflows.newUntypedWorkflowStub(workflowId).terminate("test done");
    }
  }
}
