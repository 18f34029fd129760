package io.graphsync.app.sync;

import io.graphsync.starters.cdc.CaptureFailure;
import io.graphsync.starters.cdc.CaptureHealth;
import io.graphsync.starters.cdc.CaptureState;
import io.graphsync.starters.cdc.PostgresCapture;
import io.graphsync.starters.cdc.SlotStatus;
import java.util.Optional;
import org.springframework.context.SmartLifecycle;

/** Starts the capture last (after the workers) and stops it first, so no change is taken without a worker. */
class CaptureLifecycle implements SmartLifecycle {

  private final PostgresCapture capture;
  private volatile boolean running;

  /** @param capture the capture, or null when this instance runs none ({@code graphsync.capture.enabled=false}) */
  CaptureLifecycle(PostgresCapture capture) {
    this.capture = capture;
  }

  @Override
  public void start() {
    if (capture != null) {
      capture.start();
    }
    running = true;
  }

  @Override
  public void stop() {
    if (capture != null) {
      capture.close();
    }
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 100;
  }

  CaptureState state() {
    return capture == null ? null : capture.state();
  }

  Optional<CaptureFailure> lastError() {
    return capture == null ? Optional.empty() : capture.lastError();
  }

  /** The capture's health; empty when this instance runs none. */
  Optional<CaptureHealth> health() {
    return capture == null ? Optional.empty() : Optional.of(capture.health());
  }

  /** The last reading of the slot, while this instance leads. */
  Optional<SlotStatus> slotStatus() {
    return capture == null ? Optional.empty() : capture.slotStatus();
  }

  String slotName() {
    return capture == null ? null : capture.settings().slotName();
  }

  boolean enabled() {
    return capture != null;
  }

  boolean isLeader() {
    return capture != null && capture.isLeader();
  }
}
