package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.workflows.sync.ChangeEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A crash between the workflow starts and the offset acknowledgement: Debezium delivers the batch again, the starts
 * are duplicates, and they are acknowledged — exactly one workflow per change.
 */
@ExtendWith(GraphsyncExtension.class)
class CaptureReplayIT {

  private static CaptureFixture fixture;

  @BeforeAll
  static void createFixture(GraphsyncStack stack) {
    fixture = new CaptureFixture(stack, "gs_replay_it");
  }

  @AfterAll
  static void dropSlot() throws SQLException {
    fixture.dropSlot();
  }

  @Test
  void givenFailureAfterTheStarts_whenTheBatchIsDeliveredAgain_theDuplicateStartsAreAcknowledged() throws Exception {
    AtomicBoolean crashOnce = new AtomicBoolean(false);
    CaptureSettings settings = fixture.settings().build();
    CaptureMetrics metrics = new CaptureMetrics();
    try (ChangeEventWorkflowStarter starter = new CrashingStarter(fixture, settings, crashOnce);
         PostgresCapture capture = new PostgresCapture(settings, starter, metrics)) {
      capture.start();
      fixture.awaitStreaming(capture);
      crashOnce.set(true);
      String tenant = UUID.randomUUID().toString();
      try (Connection c = fixture.connect()) {
        c.createStatement().execute("INSERT INTO tenants (id, name) VALUES ('" + tenant + "', 'Replay GmbH')");
      }

      Await.until(() -> "the replayed start acknowledged as a duplicate, metrics " + metrics.duplicateStarts(),
          Duration.ofSeconds(60),
          () -> metrics.duplicateStarts() >= 1);
      fixture.awaitStreaming(capture);

      assertThat(metrics.failedBatches()).isEqualTo(1);
      List<ChangeEvent> events = fixture.awaitEvents(tenant, 1);
      assertThat(events).hasSize(1);
      Await.staysTrue("one sync workflow for the replayed change", Duration.ofMillis(500),
          () -> fixture.syncWorkflows(tenant).size() == 1);
    }
  }

  /** Starts the workflows of the first batch, then fails as a crash before the acknowledgement would. */
  private static final class CrashingStarter extends ChangeEventWorkflowStarter {
    private final AtomicBoolean crashOnce;

    CrashingStarter(CaptureFixture fixture, CaptureSettings settings, AtomicBoolean crashOnce) {
      super(fixture.client, settings.taskQueue(), settings.maxConcurrentStarts());
      this.crashOnce = crashOnce;
    }

    @Override
    public List<StartOutcome> startAll(List<ChangeEvent> events) throws InterruptedException {
      List<StartOutcome> outcomes = super.startAll(events);
      if (!events.isEmpty() && crashOnce.compareAndSet(true, false)) {
        throw new WorkflowStartException("simulated crash after " + events.size() + " start(s)",
            new IllegalStateException("crash"));
      }
      return outcomes;
    }
  }
}
