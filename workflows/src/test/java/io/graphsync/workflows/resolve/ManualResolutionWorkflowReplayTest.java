package io.graphsync.workflows.resolve;

import io.graphsync.workflows.StoredHistories;
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
 * The {@code v2} histories are the same runs after the policy became part of the input and the state moved into the
 * {@code @WorkflowInit} constructor; the first six (no policy in their input) must replay too. The {@code v3}
 * histories add the release of the back-flow's hold before a decision ({@code release-backflow-hold}).
 */
class ManualResolutionWorkflowReplayTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "manual-resolution-keep-postgres.json",
      "manual-resolution-stale-then-dismissed.json",
      "manual-resolution-overdue.json",
      "manual-resolution-keep-neo4j-stale.json",
      "manual-resolution-continued-as-new.json",
      "manual-resolution-after-continue-as-new.json",
      "manual-resolution-v2-keep-postgres.json",
      "manual-resolution-v2-stale-then-dismissed.json",
      "manual-resolution-v2-overdue.json",
      "manual-resolution-v2-keep-neo4j-stale.json",
      "manual-resolution-v2-continued-as-new.json",
      "manual-resolution-v2-after-continue-as-new.json",
      "manual-resolution-v3-keep-postgres.json",
      "manual-resolution-v3-stale-then-dismissed.json",
      "manual-resolution-v3-overdue.json",
      "manual-resolution-v3-keep-neo4j-stale.json",
      "manual-resolution-v3-continued-as-new.json",
      "manual-resolution-v3-after-continue-as-new.json"})
  void givenAStoredHistory_whenReplayedAgainstTheCurrentCode_itIsDeterministic(String file) throws Exception {
    StoredHistories.replay(file, worker -> worker.registerWorkflowImplementationTypes(
        ManualResolutionWorkflowImpl.class));
  }
}
