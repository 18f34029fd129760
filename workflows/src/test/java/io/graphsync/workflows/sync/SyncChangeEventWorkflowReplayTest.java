package io.graphsync.workflows.sync;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stored histories of released versions of {@link SyncChangeEventWorkflow} must replay against the current code:
 * a change to the workflow that would break running executions fails here, and must go behind
 * {@code Workflow.getVersion}. Add a history whenever a new version is released.
 */
class SyncChangeEventWorkflowReplayTest {

  @ParameterizedTest
  @ValueSource(strings = {"sync-change-event-success.json", "sync-change-event-failed.json"})
  void givenAStoredHistory_whenReplayedAgainstTheCurrentCode_itIsDeterministic(String file) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history(file), SyncChangeEventWorkflowImpl.class);
  }

  private static String history(String file) throws IOException {
    try (var in = Objects.requireNonNull(
        SyncChangeEventWorkflowReplayTest.class.getResourceAsStream("/histories/" + file), file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
