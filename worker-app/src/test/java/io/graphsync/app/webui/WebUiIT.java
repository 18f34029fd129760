package io.graphsync.app.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.dev.TemporalDevServer;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.sync.SyncChangeEventWorkflow;
import io.graphsync.workflows.sync.SyncStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.common.SearchAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link HeadlessChromium} fixture against the real Web UI of the Temporal dev server. Only the dev server: what
 * the UI shows here comes from Temporal alone, so neither PostgreSQL, Neo4j nor the Spring context is started for it.
 * The workflows run on a task queue that no worker polls, so their search attributes stay as started.
 */
@ExtendWith(GraphsyncExtension.class)
class WebUiIT {

  @RegisterExtension
  static final HeadlessChromium chromium = new HeadlessChromium();

  private static final Duration VISIBILITY = Duration.ofSeconds(30);

  private final String taskQueue = "webui-test-" + UUID.randomUUID();
  private final List<String> startedWorkflows = new ArrayList<>();
  private final List<ScheduleHandle> createdSchedules = new ArrayList<>();
  private WorkflowClient client;
  private TemporalWebUi ui;

  @BeforeEach
  void connect(TemporalDevServer temporal, WorkflowClient workflowClient) {
    client = workflowClient;
    ui = chromium.temporalWebUi(temporal);
  }

  @AfterEach
  void terminate() {
    for (String workflowId : startedWorkflows) {
      client.newUntypedWorkflowStub(workflowId).terminate("WebUiIT cleanup");
    }
    for (ScheduleHandle schedule : createdSchedules) {
      schedule.delete();
    }
  }

  private String startSync(String entityId, SyncStatus status) {
    String workflowId = "webui-test/" + entityId + "/" + status.name().toLowerCase();
    client.newUntypedWorkflowStub(SyncChangeEventWorkflow.TYPE, WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(taskQueue)
            .setWorkflowExecutionTimeout(Duration.ofMinutes(10))
            .setTypedSearchAttributes(SearchAttributes.newBuilder()
                .set(SyncSearchAttributes.ENTITY_ID, entityId)
                .set(SyncSearchAttributes.SYNC_STATUS, status.name())
                .build())
            .build())
        .start();
    startedWorkflows.add(workflowId);
    return workflowId;
  }

  @Test
  void givenAFailedAndARunningSyncOfOneEntity_whenTheListIsFilteredByFailed_itShowsOnlyTheFailedOne() {
    String entityId = "webui-" + UUID.randomUUID();
    String failed = startSync(entityId, SyncStatus.FAILED);
    String running = startSync(entityId, SyncStatus.RUNNING);

    // both are visible under the entity: the filter below has something to leave out
    ui.openWorkflowList("EntityId = \"" + entityId + "\"");
    assertThat(ui.awaitWorkflowIdsShown(ids -> ids.size() == 2, VISIBILITY))
        .containsExactlyInAnyOrder(failed, running);

    ui.openWorkflowList("SyncStatus = \"FAILED\" AND EntityId = \"" + entityId + "\"");
    List<String> shown = ui.awaitWorkflowIdsShown(ids -> ids.contains(failed), VISIBILITY);
    chromium.screenshot();

    assertThat(shown).containsExactly(failed);
  }

  @Test
  void givenAStartedSync_whenItsPageIsOpened_itShowsItsIdAndStatus() {
    String workflowId = startSync("webui-" + UUID.randomUUID(), SyncStatus.FAILED);

    ui.openWorkflow(workflowId);
    chromium.screenshot();

    assertThat(ui.workflowStatusShown()).isEqualTo("Running");
  }

  @Test
  void givenAQueryOnAnUnknownAttribute_whenTheListIsOpened_itReportsTheUisError() {
    assertThatThrownBy(() -> ui.openWorkflowList("NoSuchAttribute = \"x\""))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NoSuchAttribute");
  }

  @Test
  void givenAPausedSchedule_whenTheSchedulesPageIsOpened_itListsIt(TemporalDevServer temporal) {
    String scheduleId = "webui-test-" + UUID.randomUUID();
    ScheduleClient schedules = ScheduleClient.newInstance(client.getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder().setNamespace(temporal.namespace()).build());
    createdSchedules.add(schedules.createSchedule(scheduleId, Schedule.newBuilder()
            .setAction(ScheduleActionStartWorkflow.newBuilder()
                .setWorkflowType(SyncChangeEventWorkflow.TYPE)
                .setOptions(WorkflowOptions.newBuilder()
                    .setWorkflowId(scheduleId + "/run").setTaskQueue(taskQueue).build())
                .build())
            .setSpec(ScheduleSpec.newBuilder()
                .setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofHours(1)))).build())
            .setState(ScheduleState.newBuilder().setPaused(true).build())
            .build(),
        ScheduleOptions.newBuilder().build()));

    ui.openSchedules();
    List<String> shown = ui.awaitScheduleIdsShown(ids -> ids.contains(scheduleId), VISIBILITY);
    chromium.screenshot();

    assertThat(shown).contains(scheduleId);
  }
}
