package io.graphsync.workflows.reconcile;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stored histories of {@link ReconciliationWorkflow} must replay against the current code; a change that breaks them
 * goes behind {@code Workflow.getVersion}. {@code reconciliation-repairs.json}: the first release (a run with findings
 * of every kind, the grace timer, the re-check, repairs and recorded findings).
 */
class ReconciliationWorkflowReplayTest {

  private static TestWorkflowEnvironment env;
  private static Worker worker;

  @BeforeAll
  static void replayWorker() {
    env = TestWorkflowEnvironment.newInstance();
    worker = env.newWorker("replay");
    // other defaults than the recorded run's: the side effect in the history must win
    worker.registerWorkflowImplementationFactory(ReconciliationWorkflow.class,
        () -> new ReconciliationWorkflowImpl(ReconciliationPolicy.DEFAULT));
  }

  @AfterAll
  static void close() {
    env.close();
  }

  @Test
  void givenTheStoredHistoryOfARunWithRepairs_whenReplayed_itIsDeterministic() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(history("reconciliation-repairs.json")),
        worker);
  }

  private static String history(String file) throws IOException {
    try (var in = Objects.requireNonNull(
        ReconciliationWorkflowReplayTest.class.getResourceAsStream("/histories/" + file), file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
