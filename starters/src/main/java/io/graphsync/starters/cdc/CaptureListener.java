package io.graphsync.starters.cdc;

import io.graphsync.workflows.sync.ChangeEvent;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Callbacks from the capture, for metrics and tests. Called on the capture's threads: keep them quick, and do not
 * throw.
 */
public interface CaptureListener {

  /** Temporal accepted the starts of a batch ({@code duplicates} of them already existed). */
  default void onWorkflowsStarted(List<ChangeEvent> events, int duplicates, Instant acceptedAt) {}

  /**
   * Records of a batch that started no workflow: heartbeats, tombstones, unmapped tables, sync-column-only updates,
   * and malformed changes (also reported one by one to {@link #onMalformedRecord}).
   */
  default void onRecordsSkipped(int count) {}

  /** A change of a mapped table could not be mapped; it was logged at ERROR and skipped. */
  default void onMalformedRecord(SourceRecord record, MalformedChangeException error) {}

  /**
   * Temporal rejected the start of {@code event} for a reason that never heals (see {@link StartFailures}); the
   * change was kept in {@code graphsync.capture_rejects} and acknowledged.
   */
  default void onStartRejected(ChangeEvent event, ChangeEventWorkflowStarter.StartOutcome.Rejected rejection) {}

  /** A batch was not acknowledged (starts failed); the engine restarts and delivers it again. */
  default void onBatchFailed(int size, Throwable error) {}

  /** The capture changed state. */
  default void onStateChanged(CaptureState state) {}

  /** No callbacks. */
  CaptureListener NONE = new CaptureListener() {};
}
