package io.graphsync.starters.reconcile;

import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a Schedule of graphsync — reconciliation's, retention's — or brings an existing one up to date, at
 * start-up: idempotent, so every worker-app instance may run it. The Schedule starts its workflow every
 * {@code interval}, skips a
 * run while the previous one is still going (overlap SKIP), and is visible, pausable and triggerable in the Web
 * UI's Schedules page and with {@code temporal schedule ...}.
 *
 * <p>An update keeps the Schedule's paused state and note as operators left them, unless the settings ask for it
 * to be paused: a restart of worker-app must not undo an operator's pause.
 */
public final class ReconciliationScheduleInstaller {

  private static final Logger log = LoggerFactory.getLogger(ReconciliationScheduleInstaller.class);

  /**
   * @param scheduleId e.g. {@code graphsync-reconciliation}
   * @param interval how often it runs
   * @param paused create (or set) it paused
   * @param workflowType the workflow it starts
   * @param taskQueue where that workflow runs
   * @param workflowIdPrefix the started workflows' id prefix (Temporal appends the scheduled time)
   * @param input the workflow's one argument (its scope)
   * @param runTimeout the longest one run may take, or null for none
   */
  public record Settings(String scheduleId, Duration interval, boolean paused, String workflowType,
      String taskQueue, String workflowIdPrefix, Object input, Duration runTimeout) {

    public Settings {
      Objects.requireNonNull(scheduleId, "scheduleId");
      Objects.requireNonNull(workflowType, "workflowType");
      Objects.requireNonNull(taskQueue, "taskQueue");
      Objects.requireNonNull(workflowIdPrefix, "workflowIdPrefix");
      if (interval == null || interval.isNegative() || interval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("the interval of schedule " + scheduleId + " must be at least 1s, was "
            + interval);
      }
    }
  }

  /** Whether the installer created the Schedule or updated the existing one. */
  public enum Outcome {
    CREATED,
    UPDATED
  }

  private final ScheduleClient schedules;

  public ReconciliationScheduleInstaller(ScheduleClient schedules) {
    this.schedules = Objects.requireNonNull(schedules, "schedules");
  }

  public Outcome install(Settings settings) {
    Schedule wanted = schedule(settings, settings.paused(), null);
    try {
      schedules.createSchedule(settings.scheduleId(), wanted, ScheduleOptions.newBuilder().build());
      log.info("schedule {} created: {} every {}, {}", settings.scheduleId(), settings.workflowType(),
          settings.interval(), settings.paused() ? "paused" : "running");
      return Outcome.CREATED;
    } catch (ScheduleAlreadyRunningException exists) {
      ScheduleHandle handle = schedules.getHandle(settings.scheduleId());
      handle.update(current -> {
        ScheduleState state = current.getDescription().getSchedule().getState();
        boolean paused = settings.paused() || (state != null && state.isPaused());
        return new ScheduleUpdate(schedule(settings, paused, state == null ? null : state.getNote()));
      });
      ScheduleDescription now = handle.describe();
      log.info("schedule {} updated: {} every {}, {}", settings.scheduleId(), settings.workflowType(),
          settings.interval(), now.getSchedule().getState().isPaused() ? "paused" : "running");
      return Outcome.UPDATED;
    }
  }

  static Schedule schedule(Settings settings, boolean paused, String note) {
    WorkflowOptions.Builder workflow = WorkflowOptions.newBuilder()
        .setWorkflowId(settings.workflowIdPrefix())
        .setTaskQueue(settings.taskQueue());
    if (settings.runTimeout() != null) {
      workflow.setWorkflowRunTimeout(settings.runTimeout());
    }
    ScheduleActionStartWorkflow.Builder action = ScheduleActionStartWorkflow.newBuilder()
        .setWorkflowType(settings.workflowType())
        .setOptions(workflow.build());
    if (settings.input() != null) {
      action.setArguments(settings.input());
    }
    ScheduleState.Builder state = ScheduleState.newBuilder().setPaused(paused);
    state.setNote(note != null ? note : paused ? "paused by configuration" : "");
    return Schedule.newBuilder()
        .setAction(action.build())
        .setSpec(ScheduleSpec.newBuilder()
            .setIntervals(java.util.List.of(new ScheduleIntervalSpec(settings.interval())))
            .build())
        .setPolicy(SchedulePolicy.newBuilder()
            .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
            .build())
        .setState(state.build())
        .build();
  }
}
