package io.graphsync.workflows.reconcile;

import io.graphsync.workflows.StoredHistories;
import org.junit.jupiter.api.Test;

/**
 * Stored histories of {@link ReconciliationWorkflow} must replay against the current code; a change that breaks them
 * goes behind {@code Workflow.getVersion}. {@code reconciliation-repairs.json}: the first release (a run with findings
 * of every kind, the grace timer, the re-check, repairs and recorded findings).
 */
class ReconciliationWorkflowReplayTest {

  @Test
  void givenTheStoredHistoryOfARunWithRepairs_whenReplayed_itIsDeterministic() throws Exception {
    StoredHistories.replay("reconciliation-repairs.json", worker -> worker.registerWorkflowImplementationFactory(
        ReconciliationWorkflow.class, () -> new ReconciliationWorkflowImpl(ReconciliationPolicy.DEFAULT)));
  }
}
