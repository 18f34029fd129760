package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The verdicts of {@link CaptureHealth#evaluate}, at the edges of its thresholds. */
class CaptureHealthTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final CaptureSettings SETTINGS = CaptureSettings.builder()
      .database("graphsync").user("graphsync").password("x")
      .stallTimeout(Duration.ofMinutes(5))
      .retainedWalWarningBytes(1_000_000)
      .mapping(ChangeRecords.MAPPING)
      .build();

  private static SlotStatus slot(long retained, long lag, Instant progressAt, String walStatus) {
    return new SlotStatus(NOW, true, true, walStatus, retained, lag, -1, progressAt, null);
  }

  private static CaptureHealth running(SlotStatus slot) {
    return CaptureHealth.evaluate(CaptureState.RUNNING, NOW.minusSeconds(3600), true, null, slot, SETTINGS, NOW);
  }

  @Test
  void givenSlotConfirmingWithinTheStallTimeout_whenEvaluated_itIsUp() {
    CaptureHealth health = running(slot(500, 200, NOW.minus(Duration.ofMinutes(5)), "reserved"));

    assertThat(health.status()).isEqualTo(CaptureHealth.Status.UP);
    assertThat(health.reasons()).isEmpty();
  }

  @Test
  void givenPendingChangesUnconfirmedPastTheStallTimeout_whenEvaluated_itIsDown() {
    CaptureHealth health = running(slot(500, 200, NOW.minus(Duration.ofMinutes(5)).minusSeconds(1), "reserved"));

    assertThat(health.status()).isEqualTo(CaptureHealth.Status.DOWN);
    assertThat(health.reasons()).singleElement().asString()
        .contains("has not confirmed a position for 301 s while 200 bytes of WAL are pending");
  }

  @Test
  void givenNothingPendingForLong_whenEvaluated_itIsUp() {
    CaptureHealth health = running(slot(500, 0, NOW.minus(Duration.ofHours(1)), "reserved"));

    assertThat(health.status()).isEqualTo(CaptureHealth.Status.UP);
  }

  @Test
  void givenRetainedWalAtTheThreshold_whenEvaluated_itIsWarning() {
    CaptureHealth health = running(slot(1_000_000, 10, NOW, "reserved"));

    assertThat(health.status()).isEqualTo(CaptureHealth.Status.WARNING);
    assertThat(health.reasons()).singleElement().asString().contains("retains 1000000 bytes");
  }

  @Test
  void givenUnreservedSlot_whenEvaluated_itIsWarning() {
    CaptureHealth health = running(slot(10, 10, NOW, "unreserved"));

    assertThat(health.status()).isEqualTo(CaptureHealth.Status.WARNING);
    assertThat(health.reasons()).singleElement().asString().contains("unreserved");
  }

  @Test
  void givenLostSlot_whenEvaluated_itIsDownWithTheRecovery() {
    CaptureHealth health = running(slot(-1, -1, NOW, "lost"));

    assertThat(health.status()).isEqualTo(CaptureHealth.Status.DOWN);
    assertThat(health.recovery()).hasValueSatisfying(recovery -> assertThat(recovery)
        .contains("pg_drop_replication_slot('graphsync')")
        .contains("DELETE FROM graphsync.capture_offsets WHERE slot_name = 'graphsync'"));
  }

  @Test
  void givenSlotMissingWhileRunning_whenEvaluated_itIsDownOnlyIfReadAfterTheEngineStarted() {
    SlotStatus missing = SlotStatus.absent(NOW);

    assertThat(running(missing).status()).isEqualTo(CaptureHealth.Status.DOWN);
    assertThat(CaptureHealth.evaluate(CaptureState.RUNNING, NOW.plusMillis(1), true, null, missing, SETTINGS, NOW)
        .status()).isEqualTo(CaptureHealth.Status.UP); // read while the engine was still creating it
  }

  @Test
  void givenEngineStartingPastTheStallTimeout_whenEvaluated_itIsDown() {
    assertThat(CaptureHealth.evaluate(CaptureState.STARTING, NOW.minusSeconds(299), true, null, null, SETTINGS, NOW)
        .status()).isEqualTo(CaptureHealth.Status.UP);
    assertThat(CaptureHealth.evaluate(CaptureState.STARTING, NOW.minusSeconds(301), true, null, null, SETTINGS, NOW)
        .reasons()).singleElement().asString().contains("starting for 301 s");
  }

  @Test
  void givenPostgresUnreachable_whenEvaluated_itIsDownWithTheErrorNotStandby() {
    CaptureFailure failure = new CaptureFailure("cannot reach PostgreSQL: Connection refused", NOW, 4);

    CaptureHealth health = CaptureHealth.evaluate(CaptureState.DISCONNECTED, NOW, false, failure, null, SETTINGS,
        NOW);

    assertThat(health.status()).isEqualTo(CaptureHealth.Status.DOWN);
    assertThat(health.reasons()).containsExactly("cannot reach PostgreSQL: Connection refused");
    assertThat(health.failure()).contains(failure);
  }

  @Test
  void givenStandby_whenEvaluated_itSaysWhyAndIgnoresTheSlot() {
    CaptureHealth health = CaptureHealth.evaluate(CaptureState.STANDBY, NOW, false, null,
        slot(5_000_000, 1, NOW.minusSeconds(3600), "lost"), SETTINGS, NOW);

    assertThat(health.status()).isEqualTo(CaptureHealth.Status.STANDBY);
    assertThat(health.reasons()).containsExactly("another instance holds the capture lease of slot graphsync");
    assertThat(health.slot()).isEmpty();
  }
}
