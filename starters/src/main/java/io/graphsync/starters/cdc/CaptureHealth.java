package io.graphsync.starters.cdc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The capture's health, judged from its state, its last failure and its slot — everything an operator needs in one
 * answer, and what {@code /actuator/health} → {@code capture} shows.
 *
 * <ul>
 *   <li>{@link Status#DOWN} while the engine fails or restarts, PostgreSQL cannot be reached, an engine takes longer
 *       than {@link CaptureSettings#stallTimeout()} to start, the slot has not confirmed a position for longer than
 *       the stall timeout while changes are pending, or the slot is lost ({@code wal_status = 'lost'}) or missing
 *       while the capture runs ({@link #recovery()} then says what to do).
 *   <li>{@link Status#WARNING} while the slot retains more WAL than {@link CaptureSettings#retainedWalWarningBytes()}
 *       or PostgreSQL is about to invalidate it ({@code wal_status = 'unreserved'}), and while changes of a mapped
 *       table lack a mapped column (schema drift: {@link #schemaDrift()}; their syncs fail with
 *       {@code SchemaChanged}) — until worker-app restarts with a mapping that fits.
 *   <li>{@link Status#STANDBY} while another instance holds the slot's lease; {@link Status#UP} otherwise.
 * </ul>
 *
 * @param status the verdict
 * @param state the capture's state
 * @param leader whether this instance holds the slot's lease
 * @param reasons why it is not UP (empty when it is)
 * @param failure the failure the capture is recovering from
 * @param slot the last reading of the slot (leader only)
 * @param recovery what an operator must do, when the capture cannot heal by itself
 * @param schemaDrift mapped columns missing from captured changes (a WARNING)
 * @param unmappedColumns columns seen in changes that the mapping does not name, by table (information only)
 */
public record CaptureHealth(
    Status status,
    CaptureState state,
    boolean leader,
    List<String> reasons,
    Optional<CaptureFailure> failure,
    Optional<SlotStatus> slot,
    Optional<String> recovery,
    List<SchemaDrift.Finding> schemaDrift,
    Map<String, List<String>> unmappedColumns) {

  /** How the capture is doing. */
  public enum Status {
    UP,
    STANDBY,
    WARNING,
    DOWN
  }

  public CaptureHealth {
    reasons = List.copyOf(reasons);
    schemaDrift = List.copyOf(schemaDrift);
    unmappedColumns = Map.copyOf(unmappedColumns);
  }

  /** A health without schema findings. */
  public CaptureHealth(Status status, CaptureState state, boolean leader, List<String> reasons,
      Optional<CaptureFailure> failure, Optional<SlotStatus> slot, Optional<String> recovery) {
    this(status, state, leader, reasons, failure, slot, recovery, List.of(), Map.of());
  }

  /**
   * What an operator does when the slot is lost or was dropped (docs/runbook.md, "The replication slot is lost"):
   * drop the slot and forget the offsets, so the capture starts afresh with a new slot; then reconcile.
   */
  static String slotRecovery(CaptureSettings settings) {
    String offsets = settings.offsetStorage() instanceof OffsetStorage.PostgresTable table
        ? "DELETE FROM " + table.table() + " WHERE slot_name = '" + settings.slotName() + "'"
        : "delete the capture's offset file " + ((OffsetStorage.LocalFile) settings.offsetStorage()).file();
    return "start afresh: SELECT pg_drop_replication_slot('" + settings.slotName() + "') (if it still exists); "
        + offsets + "; the capture creates a new slot at its next restart and streams from then on; then trigger the "
        + "reconciliation Schedule to repair the changes that were missed";
  }

  /**
   * Judges the capture.
   *
   * @param stateSince when the capture entered {@code state}
   * @param slot the last reading of the slot; null when there is none (not the leader, or not read yet)
   */
  static CaptureHealth evaluate(CaptureState state, Instant stateSince, boolean leader, CaptureFailure failure,
      SlotStatus slot, CaptureSettings settings, Instant now) {
    return evaluate(state, stateSince, leader, failure, slot, settings, now, List.of(), Map.of());
  }

  /** Judges the capture, with what its changes showed of schema drift. */
  static CaptureHealth evaluate(CaptureState state, Instant stateSince, boolean leader, CaptureFailure failure,
      SlotStatus slot, CaptureSettings settings, Instant now, List<SchemaDrift.Finding> schemaDrift,
      Map<String, List<String>> unmappedColumns) {
    List<String> down = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String recovery = null;
    boolean standby = false;
    switch (state) {
      case STANDBY -> standby = true;
      case RESTARTING, DISCONNECTED -> down.add(failure == null ? "the capture is " + state : failure.message());
      case STARTING -> {
        if (failure != null) {
          down.add(failure.message());
        } else if (Duration.between(stateSince, now).compareTo(settings.stallTimeout()) > 0) {
          down.add("the engine has been starting for " + seconds(Duration.between(stateSince, now))
              + " (longer than the stall timeout " + settings.stallTimeout() + ")");
        }
      }
      case STOPPED -> down.add("the capture is stopped");
      case NEW, RUNNING -> { }
    }
    if (leader && slot != null && slot.readable()) {
      if (slot.lost()) {
        down.add("replication slot " + settings.slotName() + " is lost (wal_status = 'lost'): PostgreSQL removed WAL "
            + "it still needed (max_slot_wal_keep_size); the changes it held cannot be captured");
        recovery = slotRecovery(settings);
      } else if (!slot.present() && state == CaptureState.RUNNING && !slot.observedAt().isBefore(stateSince)) {
        down.add("replication slot " + settings.slotName() + " does not exist while the capture runs");
        recovery = slotRecovery(settings);
      } else if (slot.present()) {
        Duration unconfirmed = slot.unconfirmedFor(now);
        if (state == CaptureState.RUNNING && unconfirmed.compareTo(settings.stallTimeout()) > 0) {
          down.add("replication slot " + settings.slotName() + " has not confirmed a position for "
              + seconds(unconfirmed) + " while " + slot.confirmedLagBytes() + " bytes of WAL are pending (stall "
              + "timeout " + settings.stallTimeout() + ")");
        }
        if (SlotStatus.UNRESERVED.equals(slot.walStatus())) {
          warnings.add("replication slot " + settings.slotName() + " is past max_wal_size (wal_status = "
              + "'unreserved'): PostgreSQL invalidates it at a checkpoint once it passes max_slot_wal_keep_size");
        }
        if (slot.retainedWalBytes() >= settings.retainedWalWarningBytes()) {
          warnings.add("replication slot " + settings.slotName() + " retains " + slot.retainedWalBytes()
              + " bytes of WAL (warning at " + settings.retainedWalWarningBytes() + ")");
        }
      }
    }
    for (SchemaDrift.Finding drift : schemaDrift) {
      warnings.add("schema drift: " + drift.problem() + " since " + drift.since() + " (LSN " + drift.firstPosition()
          + "); " + drift.changes() + " changes failed with SchemaChanged: update the mapping, restart worker-app, "
          + "retry the FAILED syncs");
    }
    Status status;
    List<String> reasons;
    if (!down.isEmpty()) {
      status = Status.DOWN;
      reasons = down;
    } else if (!warnings.isEmpty()) {
      status = Status.WARNING;
      reasons = warnings;
    } else if (standby) {
      status = Status.STANDBY;
      reasons = List.of("another instance holds the capture lease of slot " + settings.slotName());
    } else {
      status = Status.UP;
      reasons = List.of();
    }
    return new CaptureHealth(status, state, leader, reasons, Optional.ofNullable(failure),
        Optional.ofNullable(leader ? slot : null), Optional.ofNullable(recovery), schemaDrift, unmappedColumns);
  }

  private static String seconds(Duration duration) {
    return duration.toSeconds() + " s";
  }
}
