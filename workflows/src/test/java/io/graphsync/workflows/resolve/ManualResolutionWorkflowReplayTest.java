package io.graphsync.workflows.resolve;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stored histories of the first release of {@link ManualResolutionWorkflow} must replay against the current code:
 * conflicts wait for days, so a change that would break running executions must go behind
 * {@code Workflow.getVersion}. The histories come from {@link ManualResolutionWorkflowTest} run with
 * {@code -Dgraphsync.exportHistories=<dir>}: KEEP_POSTGRES; a report that
 * bumped the revision, a stale approval and a DISMISS; the reminder (OVERDUE) then DISMISS; KEEP_NEO4J rejected as
 * stale, then DISMISS; a run that continued as new, and the run after it. They ran with other policies than the
 * default (e.g. a new run after 3 signals): the policy is recorded in the history, so they replay with any policy.
 */
class ManualResolutionWorkflowReplayTest {

  private static TestWorkflowEnvironment env;
  private static Worker worker;

  @BeforeAll
  static void replayWorker() {
    env = TestWorkflowEnvironment.newInstance();
    worker = env.newWorker("replay");
    worker.registerWorkflowImplementationFactory(ManualResolutionWorkflow.class,
        () -> new ManualResolutionWorkflowImpl(ResolutionPolicy.DEFAULT));
  }

  @AfterAll
  static void close() {
    env.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "manual-resolution-keep-postgres.json",
      "manual-resolution-stale-then-dismissed.json",
      "manual-resolution-overdue.json",
      "manual-resolution-keep-neo4j-stale.json",
      "manual-resolution-continued-as-new.json",
      "manual-resolution-after-continue-as-new.json"})
  void givenAStoredHistory_whenReplayedAgainstTheCurrentCode_itIsDeterministic(String file) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(history(file)), worker);
  }

  private static String history(String file) throws IOException {
    try (var in = Objects.requireNonNull(
        ManualResolutionWorkflowReplayTest.class.getResourceAsStream("/histories/" + file), file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
