package io.graphsync.starters.cdc;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.graphsync.workflows.sync.ChangeEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Debezium change consumer: maps a batch, starts its workflows, and only then marks every record processed
 * and the batch finished, so offsets never pass a change whose workflow Temporal has not accepted.
 *
 * <p>A start failure throws out of {@link #handleBatch}: nothing of the batch is acknowledged, the engine stops
 * with the error and {@link PostgresCapture} restarts it, which delivers the batch again (the starts that did
 * succeed are then acknowledged as duplicates).
 *
 * <p>A malformed change of a mapped table is logged at ERROR with its position, counted, kept by
 * {@link RejectedChanges} ({@code graphsync.capture_rejects}) and only then acknowledged: one bad record must not
 * block every later change (and make PostgreSQL retain WAL without bound), and none is dropped without a durable
 * record. If it cannot be kept, the batch is not acknowledged. The entity it touched drifts until reconciliation
 * repairs it.
 */
final class CaptureBatchHandler implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

  private static final Logger log = LoggerFactory.getLogger(CaptureBatchHandler.class);

  private final ChangeEventMapper mapper;
  private final ChangeEventWorkflowStarter starter;
  private final CaptureListener listener;
  private final RejectedChanges rejects;
  private final Clock clock;

  CaptureBatchHandler(ChangeEventMapper mapper, ChangeEventWorkflowStarter starter, CaptureListener listener,
      RejectedChanges rejects, Clock clock) {
    this.mapper = mapper;
    this.starter = starter;
    this.listener = listener;
    this.rejects = rejects;
    this.clock = clock;
  }

  @Override
  public void handleBatch(
      List<RecordChangeEvent<SourceRecord>> records,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
    List<ChangeEvent> events = new ArrayList<>(records.size());
    int skipped = 0;
    for (RecordChangeEvent<SourceRecord> record : records) {
      Optional<ChangeEvent> event = map(record.record());
      if (event.isPresent()) {
        events.add(event.get());
      } else {
        skipped++;
      }
    }
    try {
      List<ChangeEventWorkflowStarter.StartOutcome> outcomes = starter.startAll(events);
      if (!events.isEmpty()) {
        int duplicates = (int) outcomes.stream()
            .filter(o -> o == ChangeEventWorkflowStarter.StartOutcome.ALREADY_STARTED)
            .count();
        listener.onWorkflowsStarted(events, duplicates, clock.instant());
        if (duplicates > 0) {
          log.info("{} of {} changes were already started (replay after a restart): acknowledged", duplicates,
              events.size());
        }
      }
    } catch (WorkflowStartException e) {
      listener.onBatchFailed(records.size(), e);
      throw e;
    }
    if (skipped > 0) {
      listener.onRecordsSkipped(skipped);
    }
    for (RecordChangeEvent<SourceRecord> record : records) {
      committer.markProcessed(record);
    }
    committer.markBatchFinished();
  }

  private Optional<ChangeEvent> map(SourceRecord record) {
    try {
      return mapper.map(record);
    } catch (MalformedChangeException e) {
      log.error("skipping a malformed change at position {} (topic {}): {}; reconciliation will repair the entity",
          ChangeEventMapper.positionOf(record).map(String::valueOf).orElse("unknown"), record.topic(),
          e.getMessage());
      rejects.record(record, e);
      listener.onMalformedRecord(record, e);
      return Optional.empty();
    } catch (RuntimeException e) {
      MalformedChangeException malformed = new MalformedChangeException(
          "cannot map the change: " + e, ChangeEventMapper.positionOf(record).orElse(null));
      malformed.initCause(e);
      log.error("skipping a change that failed to map at position {} (topic {})",
          ChangeEventMapper.positionOf(record).map(String::valueOf).orElse("unknown"), record.topic(), e);
      rejects.record(record, malformed);
      listener.onMalformedRecord(record, malformed);
      return Optional.empty();
    }
  }
}
