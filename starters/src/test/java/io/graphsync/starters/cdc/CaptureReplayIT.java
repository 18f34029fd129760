package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.dev.PostgresExtension;
import io.graphsync.dev.PostgresServer;
import io.graphsync.dev.TemporalDevServer;
import io.graphsync.dev.TemporalExtension;
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
@ExtendWith({PostgresExtension.class, TemporalExtension.class})
class CaptureReplayIT {

  private static CaptureFixture fixture;

  @BeforeAll
  static void createFixture(PostgresServer postgres, TemporalDevServer temporal) {
    fixture = new CaptureFixture(postgres, temporal, "gs_replay_it");
  }

  @AfterAll
  static void dropSlot() throws SQLException {
    fixture.dropSlot();
    fixture.close();
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

      CaptureFixture.await(Duration.ofSeconds(60), () -> metrics.duplicateStarts() >= 1,
          () -> "the replayed start acknowledged as a duplicate, metrics " + metrics.duplicateStarts());
      fixture.awaitStreaming(capture);

      assertThat(metrics.failedBatches()).isEqualTo(1);
      List<ChangeEvent> events = fixture.awaitEvents(tenant, 1);
      assertThat(events).hasSize(1);
      Thread.sleep(500);
      assertThat(fixture.syncWorkflows(tenant)).hasSize(1);
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
