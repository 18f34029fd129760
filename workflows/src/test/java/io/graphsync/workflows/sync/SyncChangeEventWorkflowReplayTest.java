package io.graphsync.workflows.sync;

import io.graphsync.workflows.StoredHistories;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stored histories of released versions of {@link SyncChangeEventWorkflow} must replay against the current code:
 * a change to the workflow that would break running executions fails here, and must go behind
 * {@code Workflow.getVersion}. Add a history whenever a new version is released.
 *
 * <ul>
 *   <li>{@code sync-change-event-success.json}, {@code sync-change-event-failed.json}: the first release (a failed
 *       sync failed the workflow);
 *   <li>{@code sync-change-event-v1-*.json}: version {@code operator-decision} 1 (a failed sync waits for an
 *       operator's {@code retry} or {@code skip});
 *   <li>{@code sync-change-event-v2-captured-policy.json}: version {@code captured-policy} 1 (the waiting policy
 *       recorded in the history; written by {@link SyncPolicyCaptureTest} with
 *       {@code -Dgraphsync.storeHistory=<file>}).
 * </ul>
 */
class SyncChangeEventWorkflowReplayTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "sync-change-event-success.json",
      "sync-change-event-failed.json",
      "sync-change-event-v1-retried.json",
      "sync-change-event-v1-skipped.json",
      "sync-change-event-v2-captured-policy.json"})
  void givenAStoredHistory_whenReplayedAgainstTheCurrentCode_itIsDeterministic(String file) throws Exception {
    StoredHistories.replay(file, worker -> worker.registerWorkflowImplementationFactory(
        SyncChangeEventWorkflow.class, () -> new SyncChangeEventWorkflowImpl(SyncPolicy.DEFAULT)));
  }
}
