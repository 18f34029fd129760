package io.graphsync.app.sync;

import io.graphsync.starters.cdc.CaptureHealth;
import io.graphsync.starters.cdc.CaptureMetrics;
import io.graphsync.starters.cdc.SlotStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Health of the capture, as {@link CaptureHealth} judges it: UP while it streams; UP with state {@code STANDBY} and
 * the reason while another instance holds the slot's lease; {@link #WARNING} while its slot retains more WAL than
 * the warning threshold (or is about to be invalidated); DOWN while its engine fails or restarts, PostgreSQL is
 * unreachable, the slot has not confirmed a position for longer than the stall timeout while changes are pending,
 * or the slot is lost or missing; WARNING too while changes lack a mapped column (schema drift, {@code schemaDrift}:
 * table, column, since, changes affected). Columns the mapping does not name are listed as information
 * ({@code unmappedColumns}). Details: the state, the reasons, the last error with since when and how often it
 * retried, the slot (retained WAL, confirmed lag, {@code wal_status}), the recovery when an operator must act, and
 * the capture's counters. Reads only what the capture keeps: never queries PostgreSQL itself.
 */
@Component("capture")
class CaptureHealthIndicator extends AbstractHealthIndicator {

  /** Serving, but an operator should look (application.yml orders it between DOWN and UP, HTTP 200). */
  static final Status WARNING = new Status("WARNING", "the capture needs attention soon");

  private final Supplier<Optional<CaptureHealth>> health;
  private final CaptureMetrics metrics;

  @Autowired
  CaptureHealthIndicator(CaptureLifecycle capture, CaptureMetrics metrics) {
    this(capture::health, metrics);
  }

  /** @param health the capture's health, empty when this instance runs no capture */
  CaptureHealthIndicator(Supplier<Optional<CaptureHealth>> health, CaptureMetrics metrics) {
    this.health = health;
    this.metrics = metrics;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Optional<CaptureHealth> current = health.get();
    if (current.isEmpty()) {
      builder.up().withDetail("state", "DISABLED");
      return;
    }
    CaptureHealth capture = current.get();
    builder.status(switch (capture.status()) {
      case UP, STANDBY -> Status.UP;
      case WARNING -> WARNING;
      case DOWN -> Status.DOWN;
    });
    builder.withDetail("state", capture.state())
        .withDetail("leader", capture.leader());
    if (!capture.reasons().isEmpty()) {
      builder.withDetail("reason", String.join("; ", capture.reasons()));
    }
    capture.recovery().ifPresent(recovery -> builder.withDetail("recovery", recovery));
    capture.failure().ifPresent(failure -> builder
        .withDetail("lastError", failure.message())
        .withDetail("failingSince", failure.since().toString())
        .withDetail("restarts", failure.restarts()));
    capture.slot().ifPresent(slot -> builder.withDetail("slot", slotDetails(slot)));
    if (!capture.schemaDrift().isEmpty()) {
      builder.withDetail("schemaDrift", capture.schemaDrift().stream().map(drift -> {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("table", drift.table());
        details.put("column", drift.column());
        details.put("problem", drift.problem());
        details.put("since", drift.since().toString());
        details.put("firstPosition", drift.firstPosition());
        details.put("changesAffected", drift.changes());
        return details;
      }).toList());
    }
    if (!capture.unmappedColumns().isEmpty()) {
      builder.withDetail("unmappedColumns", capture.unmappedColumns());
    }
    builder.withDetail("workflowsStarted", metrics.workflowsStarted())
        .withDetail("duplicateStarts", metrics.duplicateStarts())
        .withDetail("malformedRecords", metrics.malformedRecords())
        .withDetail("rejectedStarts", metrics.rejectedStarts())
        .withDetail("rejectsKeptIn", "graphsync.capture_rejects")
        .withDetail("omittedPayloads", metrics.omittedPayloads())
        .withDetail("failedBatches", metrics.failedBatches())
        .withDetail("lastLagMillis", metrics.lastLagMillis());
  }

  private static Map<String, Object> slotDetails(SlotStatus slot) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("observedAt", slot.observedAt().toString());
    if (!slot.readable()) {
      details.put("readError", slot.readError());
      return details;
    }
    details.put("present", slot.present());
    if (slot.present()) {
      details.put("active", slot.active());
      details.put("walStatus", slot.walStatus());
      details.put("retainedWalBytes", slot.retainedWalBytes());
      details.put("confirmedLagBytes", slot.confirmedLagBytes());
      if (slot.safeWalSizeBytes() >= 0) {
        details.put("safeWalSizeBytes", slot.safeWalSizeBytes());
      }
      details.put("unconfirmedSeconds", slot.unconfirmedFor(Instant.now()).toSeconds());
    }
    return details;
  }
}
