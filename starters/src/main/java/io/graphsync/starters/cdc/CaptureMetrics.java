package io.graphsync.starters.cdc;

import io.graphsync.workflows.sync.ChangeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Counters of a capture, ready to bind to Micrometer gauges: workflows started, duplicates acknowledged, records
 * skipped, malformed records, starts Temporal rejected for good, failed batches, changes started without their data
 * (over the payload size limit), and the capture lag (commit time to accepted start) of the last batch.
 */
public class CaptureMetrics implements CaptureListener {

  private final AtomicLong started = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong failedBatches = new AtomicLong();
  private final AtomicLong rejectedStarts = new AtomicLong();
  private final AtomicLong omittedPayloads = new AtomicLong();
  private final AtomicLong lastLagMillis = new AtomicLong(-1);

  @Override
  public void onWorkflowsStarted(List<ChangeEvent> events, int duplicateCount, Instant acceptedAt) {
    started.addAndGet(events.size() - duplicateCount);
    duplicates.addAndGet(duplicateCount);
    omittedPayloads.addAndGet(events.stream().filter(ChangeEvent::dataOmitted).count());
    events.stream().map(ChangeEvent::timestamp).min(Instant::compareTo)
        .ifPresent(oldest -> lastLagMillis.set(Duration.between(oldest, acceptedAt).toMillis()));
  }

  @Override
  public void onRecordsSkipped(int count) {
    skipped.addAndGet(count);
  }

  @Override
  public void onMalformedRecord(SourceRecord record, MalformedChangeException error) {
    malformed.incrementAndGet();
  }

  @Override
  public void onStartRejected(ChangeEvent event, ChangeEventWorkflowStarter.StartOutcome.Rejected rejection) {
    rejectedStarts.incrementAndGet();
  }

  @Override
  public void onBatchFailed(int size, Throwable error) {
    failedBatches.incrementAndGet();
  }

  public long workflowsStarted() {
    return started.get();
  }

  public long duplicateStarts() {
    return duplicates.get();
  }

  public long recordsSkipped() {
    return skipped.get();
  }

  public long malformedRecords() {
    return malformed.get();
  }

  public long failedBatches() {
    return failedBatches.get();
  }

  /**
   * Changes whose workflow start Temporal rejected for good (id too long, payload over the server's limit, an invalid
   * argument); each is kept in {@code graphsync.capture_rejects}. A batch delivered again counts again.
   */
  public long rejectedStarts() {
    return rejectedStarts.get();
  }

  /**
   * Changes whose workflows Temporal accepted without their data, because it was over the payload size limit
   * ({@code ChangeEvent.dataOmitted}; the graph writer re-reads their rows). A batch delivered again after a restart
   * counts again.
   */
  public long omittedPayloads() {
    return omittedPayloads.get();
  }

  /** Commit time of the oldest change of the last batch to Temporal's acceptance, or -1 before the first. */
  public long lastLagMillis() {
    return lastLagMillis.get();
  }
}
