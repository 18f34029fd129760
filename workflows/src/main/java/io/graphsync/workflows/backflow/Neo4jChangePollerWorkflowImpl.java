package io.graphsync.workflows.backflow;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Poll, start, sleep; continue as new after {@link #POLLS_PER_RUN} polls or when Temporal suggests it. The watermark
 * is the workflow's state, so it survives worker restarts and continue-as-new; a store that is down makes the poll
 * activity retry (with backoff, without end) instead of losing the watermark.
 */
public class Neo4jChangePollerWorkflowImpl implements Neo4jChangePollerWorkflow {

  /** Polls per run: a few thousand history events at most. */
  static final int POLLS_PER_RUN = 200;

  private static final Logger log = Workflow.getLogger(Neo4jChangePollerWorkflowImpl.class);

  private static final ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(1))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(1))
          .build())
      .build();

  private final BackflowActivities backflow = Workflow.newActivityStub(BackflowActivities.class, OPTIONS);
  private final BackflowStartActivities starts = Workflow.newActivityStub(BackflowStartActivities.class, OPTIONS);

  private PollerState state;

  @Override
  public void poll(PollerState initial) {
    state = initial;
    for (int poll = 0; poll < POLLS_PER_RUN && !Workflow.getInfo().isContinueAsNewSuggested(); poll++) {
      PollResult result = backflow.pollChanges(new PollRequest(state.watermark(), state.overlap().toMillis(),
          state.pageSize()));
      int started = result.changes().isEmpty() ? 0 : starts.startSyncs(result.changes());
      if (started > 0) {
        log.info("back-flow poll found {} change(s), started {}", result.changes().size(), started);
      }
      Instant watermark = result.watermark() == null ? state.watermark() : result.watermark();
      state = state.polled(watermark, started);
      if (!result.more() || started == 0) {
        Workflow.sleep(state.interval());
      }
    }
    Workflow.continueAsNew(state);
  }

  @Override
  public PollerState progress() {
    return state;
  }
}
