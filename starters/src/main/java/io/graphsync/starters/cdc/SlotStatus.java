package io.graphsync.starters.cdc;

import java.time.Duration;
import java.time.Instant;

/**
 * What PostgreSQL said about the capture's replication slot at one moment ({@code pg_replication_slots}), read by
 * the leader every {@link CaptureSettings#slotCheckInterval()}.
 *
 * @param observedAt when it was read
 * @param present whether the slot exists
 * @param active whether a walsender streams from it
 * @param walStatus {@code reserved}, {@code extended}, {@code unreserved} (about to be lost) or {@code lost}
 *     (invalidated: PostgreSQL removed WAL the slot needs); null when absent or not read
 * @param retainedWalBytes WAL PostgreSQL keeps for the slot, {@code pg_current_wal_lsn() - restart_lsn}; -1 when
 *     unknown
 * @param confirmedLagBytes WAL written after the slot's last confirmed position,
 *     {@code pg_current_wal_lsn() - confirmed_flush_lsn}; -1 when unknown
 * @param safeWalSizeBytes how much more WAL may be written before the slot is lost ({@code safe_wal_size}); -1 when
 *     {@code max_slot_wal_keep_size} is unlimited or unknown
 * @param confirmedProgressAt when the slot was last seen confirming a new position, or with nothing pending
 * @param readError why the slot could not be read (PostgreSQL unreachable); null when it was read
 */
public record SlotStatus(
    Instant observedAt,
    boolean present,
    boolean active,
    String walStatus,
    long retainedWalBytes,
    long confirmedLagBytes,
    long safeWalSizeBytes,
    Instant confirmedProgressAt,
    String readError) {

  /** PostgreSQL's {@code wal_status} of an invalidated slot. */
  public static final String LOST = "lost";

  /** PostgreSQL's {@code wal_status} of a slot past {@code max_wal_size} that will be lost at a checkpoint. */
  public static final String UNRESERVED = "unreserved";

  static SlotStatus unreadable(Instant observedAt, String error) {
    return new SlotStatus(observedAt, false, false, null, -1, -1, -1, null, error);
  }

  static SlotStatus absent(Instant observedAt) {
    return new SlotStatus(observedAt, false, false, null, -1, -1, -1, observedAt, null);
  }

  public boolean readable() {
    return readError == null;
  }

  /** The slot was invalidated: it can never stream again and must be dropped and created anew. */
  public boolean lost() {
    return LOST.equals(walStatus);
  }

  /**
   * How long the slot has had changes pending without confirming a new position, as of {@code now}; zero when it
   * has nothing pending or was not read.
   */
  public Duration unconfirmedFor(Instant now) {
    if (!present || confirmedLagBytes <= 0 || confirmedProgressAt == null) {
      return Duration.ZERO;
    }
    Duration unconfirmed = Duration.between(confirmedProgressAt, now);
    return unconfirmed.isNegative() ? Duration.ZERO : unconfirmed;
  }
}
