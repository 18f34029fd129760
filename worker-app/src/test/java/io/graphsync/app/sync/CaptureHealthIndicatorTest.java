package io.graphsync.app.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.starters.cdc.CaptureFailure;
import io.graphsync.starters.cdc.CaptureHealth;
import io.graphsync.starters.cdc.CaptureMetrics;
import io.graphsync.starters.cdc.CaptureState;
import io.graphsync.starters.cdc.SchemaDrift;
import io.graphsync.starters.cdc.SlotStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** How {@link CaptureHealth} becomes {@code /actuator/health} → {@code capture}. */
class CaptureHealthIndicatorTest {

  private static final Instant NOW = Instant.now();
  private static final SlotStatus SLOT = new SlotStatus(NOW, true, true, "reserved", 4096, 120, -1, NOW, null);

  private final CaptureMetrics metrics = new CaptureMetrics();

  private Health health(CaptureHealth capture) {
    return new CaptureHealthIndicator(() -> Optional.of(capture), metrics).health(true);
  }

  @Test
  void givenRunningCapture_whenChecked_itIsUpWithTheSlotAndCounters() {
    Health health = health(new CaptureHealth(CaptureHealth.Status.UP, CaptureState.RUNNING, true, List.of(),
        Optional.empty(), Optional.of(SLOT), Optional.empty()));

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("state", CaptureState.RUNNING).containsEntry("leader", true)
        .containsEntry("rejectedStarts", 0L).doesNotContainKeys("reason", "lastError", "recovery");
    assertThat((Map<String, Object>) health.getDetails().get("slot"))
        .containsEntry("walStatus", "reserved")
        .containsEntry("retainedWalBytes", 4096L)
        .containsEntry("confirmedLagBytes", 120L)
        .doesNotContainKey("safeWalSizeBytes");
  }

  @Test
  void givenStandby_whenChecked_itIsUpWithStateStandbyAndTheReason() {
    Health health = health(new CaptureHealth(CaptureHealth.Status.STANDBY, CaptureState.STANDBY, false,
        List.of("another instance holds the capture lease of slot graphsync"), Optional.empty(), Optional.empty(),
        Optional.empty()));

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("state", CaptureState.STANDBY)
        .containsEntry("reason", "another instance holds the capture lease of slot graphsync")
        .doesNotContainKey("slot");
  }

  @Test
  void givenSlotRetainingTooMuchWal_whenChecked_itIsWarning() {
    Health health = health(new CaptureHealth(CaptureHealth.Status.WARNING, CaptureState.RUNNING, true,
        List.of("replication slot graphsync retains 2147483648 bytes of WAL (warning at 1073741824)"),
        Optional.empty(), Optional.of(SLOT), Optional.empty()));

    assertThat(health.getStatus()).isEqualTo(CaptureHealthIndicator.WARNING);
    assertThat(health.getStatus().getCode()).isEqualTo("WARNING");
    assertThat(health.getDetails().get("reason")).asString().contains("retains 2147483648 bytes");
  }

  @Test
  void givenSchemaDrift_whenChecked_itIsWarningWithTableColumnSinceAndChangesAndTheUnmappedColumnsAsInformation() {
    Instant since = NOW.minusSeconds(30);
    SchemaDrift.Finding drift = new SchemaDrift.Finding("notes", "title",
        "mapped column 'title' is missing from the changes of 'notes' (dropped or renamed)", since, 4711, 3);
    Health health = health(new CaptureHealth(CaptureHealth.Status.WARNING, CaptureState.RUNNING, true,
        List.of("schema drift: mapped column 'title' ..."), Optional.empty(), Optional.of(SLOT), Optional.empty(),
        List.of(drift), Map.of("notes", List.of("headline"))));

    assertThat(health.getStatus()).isEqualTo(CaptureHealthIndicator.WARNING);
    assertThat((List<Map<String, Object>>) health.getDetails().get("schemaDrift")).singleElement()
        .satisfies(details -> assertThat(details)
            .containsEntry("table", "notes")
            .containsEntry("column", "title")
            .containsEntry("since", since.toString())
            .containsEntry("firstPosition", 4711L)
            .containsEntry("changesAffected", 3L));
    assertThat(health.getDetails()).containsEntry("unmappedColumns", Map.of("notes", List.of("headline")));
  }

  @Test
  void givenOnlyUnmappedColumns_whenChecked_itIsUpAndListsThem() {
    Health health = health(new CaptureHealth(CaptureHealth.Status.UP, CaptureState.RUNNING, true, List.of(),
        Optional.empty(), Optional.of(SLOT), Optional.empty(), List.of(), Map.of("notes", List.of("summary"))));

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("unmappedColumns", Map.of("notes", List.of("summary")))
        .doesNotContainKey("schemaDrift");
  }

  @Test
  void givenLostSlotAndFailingEngine_whenChecked_itIsDownWithTheErrorAndTheRecovery() {
    Instant since = NOW.minusSeconds(90);
    SlotStatus lost = new SlotStatus(NOW, true, false, "lost", -1, -1, -1, NOW, null);
    Health health = health(new CaptureHealth(CaptureHealth.Status.DOWN, CaptureState.RESTARTING, true,
        List.of("replication slot graphsync is lost"), Optional.of(new CaptureFailure("slot lost", since, 3)),
        Optional.of(lost), Optional.of("start afresh: ...")));

    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails())
        .containsEntry("state", CaptureState.RESTARTING)
        .containsEntry("reason", "replication slot graphsync is lost")
        .containsEntry("lastError", "slot lost")
        .containsEntry("failingSince", since.toString())
        .containsEntry("restarts", 3)
        .containsEntry("recovery", "start afresh: ...");
    assertThat((Map<String, Object>) health.getDetails().get("slot")).containsEntry("walStatus", "lost")
        .containsEntry("retainedWalBytes", -1L);
  }

  @Test
  void givenUnreadableSlot_whenChecked_itShowsTheReadError() {
    SlotStatus unreadable = new SlotStatus(NOW, false, false, null, -1, -1, -1, null, "Connection refused");
    Health health = health(new CaptureHealth(CaptureHealth.Status.DOWN, CaptureState.DISCONNECTED, false,
        List.of("cannot reach PostgreSQL"), Optional.of(new CaptureFailure("cannot reach PostgreSQL", NOW, 1)),
        Optional.of(unreadable), Optional.empty()));

    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat((Map<String, Object>) health.getDetails().get("slot"))
        .containsEntry("readError", "Connection refused").doesNotContainKey("walStatus");
  }

  @Test
  void givenNoCaptureInThisInstance_whenChecked_itIsUpAndDisabled() {
    Health health = new CaptureHealthIndicator(Optional::empty, metrics).health(true);

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsExactly(Map.entry("state", "DISABLED"));
  }
}
