package io.graphsync.workflows.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What {@link ReconciliationActivities#recheck} confirmed.
 *
 * @param position the PostgreSQL WAL position ({@code pg_current_wal_lsn()}, as a long) read with the re-check's
 *     snapshot: every change committed before it has a smaller LSN, so a repair at this position is newer than what
 *     the re-check saw and older than every later change
 * @param confirmed candidates that still differ the same way (same type, row {@code pg_version} and
 *     {@code syncPosition}), with fresh details
 * @param inFlight how many candidates no longer differ the same way
 */
public record RecheckResult(
    @JsonProperty("position") long position,
    @JsonProperty("confirmed") List<Finding> confirmed,
    @JsonProperty("inFlight") int inFlight) {

  public RecheckResult {
    confirmed = confirmed == null ? List.of() : List.copyOf(confirmed);
  }
}
