package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.dev.Ports;
import io.graphsync.dev.PostgresServer;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.workflows.sync.ChangeEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The capture's health when it is really broken: PostgreSQL stopped, starts that hang while changes wait, a slot
 * PostgreSQL invalidated, a slot dropped under the capture. Runs on a PostgreSQL of its own (stopped, reconfigured
 * and broken here; the shared one is left alone) and the shared Temporal dev server.
 */
@ExtendWith(GraphsyncExtension.class)
class CaptureHealthIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private static Path workDir;
  private static PostgresServer postgres;
  private static GraphsyncStack stack;

  private CaptureFixture fixture;
  private PostgresCapture capture;
  private final CountDownLatch gate = new CountDownLatch(1);

  @BeforeAll
  static void startOwnPostgres(GraphsyncStack shared) {
    stack = shared;
    workDir = Path.of("target", "capture-health-" + ProcessHandle.current().pid()).toAbsolutePath();
    postgres = new PostgresServer(new PostgresServer.Settings(workDir.resolve("postgres"),
        workDir.resolve("postgres.log"), Ports.free(), "graphsync", "graphsync-test", "graphsync"))
        .start(false, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopOwnPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
    if (workDir != null && !Boolean.getBoolean("graphsync.keepTestData")) {
      try (Stream<Path> files = Files.walk(workDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @AfterEach
  void closeCapture() {
    gate.countDown();
    if (capture != null) {
      capture.close();
    }
  }

  private CaptureSettings.Builder settings(String slot) {
    fixture = new CaptureFixture(stack, postgres, slot);
    return fixture.settings()
        .slotCheckInterval(Duration.ofMillis(300))
        .maxRestartBackoff(Duration.ofSeconds(2));
  }

  @Test
  void givenPostgresStopped_whenTheCaptureRuns_itIsDownWithTheLastErrorAndRecoversWhenPostgresIsBack() {
    capture = new PostgresCapture(settings("health_pg_down").build(), fixtureClient(), CaptureListener.NONE);
    capture.start();
    fixture.awaitStreaming(capture);
    awaitHealth(CaptureHealth.Status.UP);
    Await.until(() -> "a reading of the streaming slot, now " + capture.slotStatus(), TIMEOUT,
        () -> capture.slotStatus().map(SlotStatus::present).orElse(false));
    assertThat(capture.health().slot()).hasValueSatisfying(slot -> {
      assertThat(slot.present()).isTrue();
      assertThat(slot.walStatus()).isEqualTo("reserved");
      assertThat(slot.retainedWalBytes()).isNotNegative();
      assertThat(slot.confirmedLagBytes()).isNotNegative();
    });

    postgres.stop();
    try {
      Await.until(() -> "DOWN with two restarts, now " + capture.health(), TIMEOUT,
          () -> capture.health().status() == CaptureHealth.Status.DOWN
              && capture.lastError().map(f -> f.restarts() >= 2).orElse(false));

      CaptureHealth down = capture.health();
      assertThat(down.state()).isIn(CaptureState.RESTARTING, CaptureState.DISCONNECTED, CaptureState.STARTING);
      assertThat(down.failure()).hasValueSatisfying(failure -> {
        assertThat(failure.message()).containsIgnoringCase("connect");
        assertThat(failure.since()).isBefore(java.time.Instant.now());
      });
      assertThat(down.reasons()).isNotEmpty();
      assertThat(capture.slotStatus().map(SlotStatus::readable).orElse(false)).isFalse();
      Await.until(() -> "DISCONNECTED (the lease is unreachable: not a STANDBY), now " + capture.state(), TIMEOUT,
          () -> capture.state() == CaptureState.DISCONNECTED);
      assertThat(capture.health().status()).isEqualTo(CaptureHealth.Status.DOWN);
    } finally {
      postgres.start(false, Duration.ofSeconds(60));
    }

    fixture.awaitStreaming(capture);
    awaitHealth(CaptureHealth.Status.UP);
    assertThat(capture.lastError()).isEmpty();
  }

  @Test
  void givenStartsThatHang_whenChangesArePending_itIsDownAfterTheStallTimeoutAndUpOnceTheyAreConfirmed()
      throws Exception {
    CaptureSettings settings = settings("health_stall").stallTimeout(Duration.ofSeconds(3)).build();
    GatedStarter starter = new GatedStarter(fixture, settings, gate);
    capture = new PostgresCapture(settings, starter, CaptureListener.NONE);
    capture.start();
    fixture.awaitStreaming(capture);
    awaitHealth(CaptureHealth.Status.UP);

    starter.closed = true;
    String tenant = insertTenant();

    Await.until(() -> "DOWN for a stalled slot, now " + capture.health(), TIMEOUT,
        () -> capture.health().status() == CaptureHealth.Status.DOWN);
    CaptureHealth stalled = capture.health();
    assertThat(stalled.state()).isEqualTo(CaptureState.RUNNING);
    assertThat(stalled.reasons()).singleElement().asString()
        .contains("has not confirmed a position for").contains("bytes of WAL are pending");
    assertThat(stalled.slot()).hasValueSatisfying(slot -> assertThat(slot.confirmedLagBytes()).isPositive());

    gate.countDown();
    fixture.awaitEvents(tenant, 1);
    awaitHealth(CaptureHealth.Status.UP);
    starter.close();
  }

  @Test
  void givenSlotRetainingMoreWalThanTheWarning_whenChecked_itIsWarningWithTheRetainedBytes() throws Exception {
    capture = new PostgresCapture(settings("health_wal").retainedWalWarningBytes(1).build(), fixtureClient(),
        CaptureListener.NONE);
    capture.start();
    fixture.awaitStreaming(capture);
    insertTenant(); // WAL past the slot's restart position

    awaitHealth(CaptureHealth.Status.WARNING);

    CaptureHealth warning = capture.health();
    assertThat(warning.reasons()).anySatisfy(reason -> assertThat(reason).contains("retains").contains("warning at 1"));
    assertThat(warning.slot()).hasValueSatisfying(slot -> assertThat(slot.retainedWalBytes()).isPositive());
  }

  @Test
  void givenSlotLostToMaxSlotWalKeepSize_whenTheCaptureRuns_itIsDownWithTheRecoveryAndStreamsOnceItIsRecreated()
      throws Exception {
    String slot = "health_lost";
    CaptureSettings settings = settings(slot).build();
    capture = new PostgresCapture(settings, fixtureClient(), CaptureListener.NONE);
    capture.start();
    fixture.awaitStreaming(capture);
    String before = insertTenant();
    fixture.awaitEvents(before, 1);
    Thread.sleep(1000); // the offset of that change is stored
    capture.close();
    Await.until("slot released", TIMEOUT, () -> !fixture.slotActive());

    try {
      execute("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'", "SELECT pg_reload_conf()");
      for (int i = 0; i < 4; i++) {
        insertTenant();
        execute("SELECT pg_switch_wal()");
      }
      execute("CHECKPOINT");
      assertThat(walStatus(slot)).isEqualTo("lost");

      capture = new PostgresCapture(settings, fixtureClient(), CaptureListener.NONE);
      capture.start();
      Await.until(() -> "DOWN with a recovery, now " + capture.health(), TIMEOUT,
          () -> capture.health().status() == CaptureHealth.Status.DOWN && capture.health().recovery().isPresent());
      CaptureHealth lost = capture.health();
      assertThat(lost.reasons()).anySatisfy(reason -> assertThat(reason).contains("is lost"));
      assertThat(lost.recovery()).hasValueSatisfying(recovery -> assertThat(recovery)
          .contains("pg_drop_replication_slot('" + slot + "')")
          .contains("DELETE FROM graphsync.capture_offsets WHERE slot_name = '" + slot + "'"));
      assertThat(lost.failure()).hasValueSatisfying(failure -> assertThat(failure.message()).contains("is lost"));
      assertThat(lost.state()).isEqualTo(CaptureState.RESTARTING); // no engine waits for a slot that cannot stream
    } finally {
      execute("ALTER SYSTEM RESET max_slot_wal_keep_size", "SELECT pg_reload_conf()");
    }

    // the documented recovery, step one: drop the slot. A capture with offsets does not start on a new one
    execute("SELECT pg_drop_replication_slot('" + slot + "')");
    Await.until(() -> "refusing to start without its slot, now " + capture.health(), TIMEOUT,
        () -> capture.lastError()
            .map(f -> f.message().contains("does not exist, but the capture has offsets")).orElse(false));
    assertThat(capture.health().status()).isEqualTo(CaptureHealth.Status.DOWN);
    assertThat(walStatus(slot)).isNull();

    // step two: forget the offsets; the capture creates a new slot at its next restart and streams from it
    execute("DELETE FROM graphsync.capture_offsets WHERE slot_name = '" + slot + "'");
    fixture.awaitStreaming(capture);
    awaitHealth(CaptureHealth.Status.UP);
    String after = insertTenant();
    List<ChangeEvent> events = fixture.awaitEvents(after, 1);
    assertThat(events).singleElement().extracting(ChangeEvent::entityId).isEqualTo(after);
  }

  private io.temporal.client.WorkflowClient fixtureClient() {
    return fixture.client;
  }

  private void awaitHealth(CaptureHealth.Status status) {
    Await.until(() -> status + ", now " + capture.health(), TIMEOUT, () -> capture.health().status() == status);
  }

  private String insertTenant() throws SQLException {
    String id = UUID.randomUUID().toString();
    fixture.sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'health')", id);
    return id;
  }

  private void execute(String... statements) throws SQLException {
    for (String statement : statements) {
      fixture.sql.execute(statement);
    }
  }

  private String walStatus(String slot) throws SQLException {
    return fixture.sql.text("SELECT wal_status FROM pg_replication_slots WHERE slot_name = ?", slot);
  }

  /** Starts workflows normally until {@code closed}; then every start waits for the gate (Temporal hanging). */
  private static final class GatedStarter extends ChangeEventWorkflowStarter {
    private final CountDownLatch gate;
    volatile boolean closed;

    GatedStarter(CaptureFixture fixture, CaptureSettings settings, CountDownLatch gate) {
      super(fixture.client, settings.taskQueue(), settings.maxConcurrentStarts());
      this.gate = gate;
    }

    @Override
    public List<StartOutcome> startAll(List<ChangeEvent> events) throws InterruptedException {
      if (closed && !events.isEmpty()) {
        gate.await();
      }
      return super.startAll(events);
    }
  }
}
