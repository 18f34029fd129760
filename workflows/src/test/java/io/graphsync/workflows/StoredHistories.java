package io.graphsync.workflows;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Replays a stored history ({@code src/test/resources/histories/<file>}) against the current workflow code: the
 * replay tests' one mechanism. {@code registration} registers the implementation on the replay worker (a factory,
 * since our workflows take their policy by constructor).
 */
public final class StoredHistories {

  private StoredHistories() {}

  public static void replay(String file, Consumer<Worker> registration) throws Exception {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    try {
      Worker worker = env.newWorker("replay");
      registration.accept(worker);
      WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(read(file)), worker);
    } finally {
      env.close();
    }
  }

  private static String read(String file) throws IOException {
    try (InputStream in = Objects.requireNonNull(
        StoredHistories.class.getResourceAsStream("/histories/" + file), file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
