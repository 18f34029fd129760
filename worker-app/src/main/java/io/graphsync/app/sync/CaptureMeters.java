package io.graphsync.app.sync;

import io.graphsync.starters.cdc.CaptureMetrics;
import io.graphsync.starters.cdc.SlotStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The capture's Micrometer meters ({@code /actuator/metrics}, {@code /actuator/prometheus}): its counters, the lag
 * of the last batch, and its replication slot — retained WAL, confirmed-flush lag, {@code wal_status} (one gauge per
 * status, 1 for the current one) and the seconds it has had changes pending without confirming. Slot gauges read
 * the capture's last reading (taken every few seconds on its own thread) and are NaN when this instance does not
 * lead or could not read the slot.
 */
final class CaptureMeters implements MeterBinder {

  /** The {@code wal_status} values PostgreSQL reports, and {@code missing} for a slot that does not exist. */
  static final List<String> WAL_STATUSES = List.of("reserved", "extended", "unreserved", "lost", "missing");

  private final CaptureLifecycle capture;
  private final CaptureMetrics metrics;

  CaptureMeters(CaptureLifecycle capture, CaptureMetrics metrics) {
    this.capture = capture;
    this.metrics = metrics;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "graphsync.capture.workflows.started", "workflows the capture started",
        CaptureMetrics::workflowsStarted);
    counter(registry, "graphsync.capture.starts.duplicate", "changes replayed whose workflow already existed",
        CaptureMetrics::duplicateStarts);
    counter(registry, "graphsync.capture.starts.rejected",
        "changes whose start Temporal rejected for good, kept in graphsync.capture_rejects",
        CaptureMetrics::rejectedStarts);
    counter(registry, "graphsync.capture.records.malformed",
        "records that could not be mapped, kept in graphsync.capture_rejects", CaptureMetrics::malformedRecords);
    counter(registry, "graphsync.capture.batches.failed", "batches not acknowledged (delivered again)",
        CaptureMetrics::failedBatches);
    counter(registry, "graphsync.capture.payloads.omitted", "changes started without their data (over the limit)",
        CaptureMetrics::omittedPayloads);
    Gauge.builder("graphsync.capture.lag", metrics, m -> m.lastLagMillis() < 0 ? Double.NaN : m.lastLagMillis())
        .description("commit time of the oldest change of the last batch to Temporal's acceptance")
        .baseUnit("milliseconds")
        .register(registry);

    slotGauge(registry, "graphsync.capture.slot.retained.wal", "WAL the slot retains (current - restart_lsn)",
        "bytes", slot -> slot.present() && slot.retainedWalBytes() >= 0 ? slot.retainedWalBytes() : Double.NaN);
    slotGauge(registry, "graphsync.capture.slot.confirmed.lag",
        "WAL written after the slot's confirmed position (current - confirmed_flush_lsn)", "bytes",
        slot -> slot.present() && slot.confirmedLagBytes() >= 0 ? slot.confirmedLagBytes() : Double.NaN);
    slotGauge(registry, "graphsync.capture.slot.safe.wal.size",
        "WAL that may still be written before the slot is lost (NaN: max_slot_wal_keep_size unlimited)", "bytes",
        slot -> slot.present() && slot.safeWalSizeBytes() >= 0 ? slot.safeWalSizeBytes() : Double.NaN);
    slotGauge(registry, "graphsync.capture.slot.unconfirmed", "how long changes have been pending unconfirmed",
        "seconds", slot -> slot.unconfirmedFor(java.time.Instant.now()).toSeconds());
    for (String status : WAL_STATUSES) {
      Gauge.builder("graphsync.capture.slot.wal.status", capture,
              c -> readable(c).map(slot -> status.equals(walStatus(slot)) ? 1.0 : 0.0).orElse(Double.NaN))
          .description("1 for the slot's current wal_status (missing: the slot does not exist)")
          .tag("status", status)
          .register(registry);
    }
  }

  private void counter(MeterRegistry registry, String name, String description,
      ToDoubleFunction<CaptureMetrics> count) {
    FunctionCounter.builder(name, metrics, count).description(description).register(registry);
  }

  private void slotGauge(MeterRegistry registry, String name, String description, String unit,
      ToDoubleFunction<SlotStatus> value) {
    Gauge.builder(name, capture, c -> readable(c).map(value::applyAsDouble).orElse(Double.NaN))
        .description(description)
        .baseUnit(unit)
        .register(registry);
  }

  private static Optional<SlotStatus> readable(CaptureLifecycle capture) {
    return capture.slotStatus().filter(SlotStatus::readable);
  }

  private static String walStatus(SlotStatus slot) {
    return slot.present() ? slot.walStatus() : "missing";
  }
}
