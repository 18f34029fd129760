package io.graphsync.app;

import io.graphsync.starters.cdc.CaptureMetrics;
import io.graphsync.starters.cdc.CaptureState;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Health of the capture: UP while it streams, or stands by (state {@code STANDBY}, with the reason) for another
 * instance that holds the slot's lease; DOWN while its engine fails or restarts, with the last error, since when it
 * has been failing and how often it restarted.
 */
@Component("capture")
class CaptureHealthIndicator extends AbstractHealthIndicator {

  private final CaptureLifecycle capture;
  private final CaptureMetrics metrics;

  CaptureHealthIndicator(CaptureLifecycle capture, CaptureMetrics metrics) {
    this.capture = capture;
    this.metrics = metrics;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    if (!capture.enabled()) {
      builder.up().withDetail("state", "DISABLED");
      return;
    }
    CaptureState state = capture.state();
    builder.withDetail("state", state)
        .withDetail("leader", capture.isLeader())
        .withDetail("workflowsStarted", metrics.workflowsStarted())
        .withDetail("duplicateStarts", metrics.duplicateStarts())
        .withDetail("malformedRecords", metrics.malformedRecords())
        .withDetail("malformedRecordsKeptIn", "graphsync.capture_rejects")
        .withDetail("omittedPayloads", metrics.omittedPayloads())
        .withDetail("failedBatches", metrics.failedBatches())
        .withDetail("lastLagMillis", metrics.lastLagMillis());
    capture.lastError().ifPresent(failure -> builder
        .withDetail("lastError", failure.message())
        .withDetail("failingSince", failure.since().toString())
        .withDetail("restarts", failure.restarts()));
    if (state == CaptureState.STANDBY) {
      builder.withDetail("reason", "another instance holds the capture lease of slot " + capture.slotName());
    }
    boolean failing = state == CaptureState.RESTARTING
        || (state == CaptureState.STARTING && capture.lastError().isPresent());
    if (failing) {
      builder.down();
    } else {
      builder.up();
    }
  }
}
