package io.graphsync.starters.cdc;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.graphsync.starters.cdc.ChangeEventWorkflowStarter.StartOutcome;
import io.graphsync.workflows.bulk.SyncBatch;
import io.graphsync.workflows.bulk.Truncate;
import io.graphsync.workflows.sync.ChangeEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Debezium change consumer: maps a batch, starts its workflows, and only then marks every record processed
 * and the batch finished, so offsets never pass a change whose workflow Temporal has not accepted.
 *
 * <p>Nothing but an outage blocks the stream. A start that Temporal rejects for a reason that never heals (workflow
 * id too long, payload over the server's limit, an invalid argument: {@link StartFailures}) is logged at ERROR,
 * counted, kept in {@code graphsync.capture_rejects} with the reason and acknowledged with the batch; reconciliation
 * repairs the entity. Any other start failure (Temporal unavailable, a deadline, a rate limit) throws out of
 * {@link #handleBatch}: nothing of the batch is acknowledged, the engine stops with the error and
 * {@link PostgresCapture} restarts it, which delivers the batch again (the starts that did succeed are then
 * acknowledged as duplicates).
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
  private final Grouped grouped;

  /**
   * What grouping needs: the decision, the batch starter, and the count of running per-change syncs.
   */
  record Grouped(CaptureGrouping grouping, SyncBatchStarter batches, InFlightSyncs inFlight) {}

  private final TruncateStarter truncates;

  CaptureBatchHandler(ChangeEventMapper mapper, ChangeEventWorkflowStarter starter, CaptureListener listener,
      RejectedChanges rejects, Clock clock) {
    this(mapper, starter, listener, rejects, clock, null, null);
  }

  /**
   * @param grouped how to group large batches into {@code SyncBatchWorkflow}s; null: one workflow per change
   * @param truncates starts a {@code TruncateWorkflow} per captured TRUNCATE; null: a truncate is kept as a reject
   */
  CaptureBatchHandler(ChangeEventMapper mapper, ChangeEventWorkflowStarter starter, CaptureListener listener,
      RejectedChanges rejects, Clock clock, Grouped grouped, TruncateStarter truncates) {
    this.mapper = mapper;
    this.starter = starter;
    this.listener = listener;
    this.rejects = rejects;
    this.clock = clock;
    this.grouped = grouped;
    this.truncates = truncates;
  }

  @Override
  public void handleBatch(
      List<RecordChangeEvent<SourceRecord>> records,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
    List<ChangeEvent> events = new ArrayList<>(records.size());
    Map<ChangeEvent, SourceRecord> sourceOf = new IdentityHashMap<>();
    int skipped = 0;
    List<Map.Entry<Truncate, SourceRecord>> truncated = new ArrayList<>();
    for (RecordChangeEvent<SourceRecord> record : records) {
      Optional<Truncate> truncate = truncateOf(record.record());
      if (truncate.isPresent()) {
        truncated.add(Map.entry(truncate.get(), record.record()));
        continue;
      }
      Optional<ChangeEvent> event = map(record.record());
      if (event.isPresent()) {
        events.add(event.get());
        sourceOf.put(event.get(), record.record());
      } else {
        skipped++;
      }
    }
    try {
      CaptureGrouping.Plan plan = grouped == null ? new CaptureGrouping.Plan(events, List.of())
          : grouped.grouping().plan(events, grouped.inFlight().current());
      List<ChangeEvent> perChange = new ArrayList<>(plan.perChange());
      List<ChangeEvent> accepted = new ArrayList<>(events.size());
      int duplicates = 0;
      for (SyncBatch batch : plan.batches()) {
        StartOutcome outcome = grouped.batches().start(batch);
        if (outcome instanceof StartOutcome.Rejected rejected) {
          log.warn("{}: its {} changes start one workflow each", rejected.describe(batch.workflowId()),
              batch.events().size());
          perChange.addAll(batch.events());
        } else {
          accepted.addAll(batch.events());
          duplicates += outcome == StartOutcome.ALREADY_STARTED ? batch.events().size() : 0;
        }
      }
      if (!plan.batches().isEmpty()) {
        log.debug("{} changes grouped into {} batches, {} started one by one", events.size() - perChange.size(),
            plan.batches().size(), perChange.size());
      }
      List<StartOutcome> outcomes = starter.startAll(perChange);
      int started = 0;
      for (int i = 0; i < perChange.size(); i++) {
        StartOutcome outcome = outcomes.get(i);
        if (outcome instanceof StartOutcome.Rejected rejected) {
          reject(sourceOf.get(perChange.get(i)), perChange.get(i), rejected);
        } else {
          accepted.add(perChange.get(i));
          duplicates += outcome == StartOutcome.ALREADY_STARTED ? 1 : 0;
          started += outcome == StartOutcome.STARTED ? 1 : 0;
        }
      }
      if (grouped != null) {
        grouped.inFlight().started(started);
      }
      for (Map.Entry<Truncate, SourceRecord> truncate : truncated) {
        startTruncate(truncate.getKey(), truncate.getValue());
      }
      if (!accepted.isEmpty()) {
        listener.onWorkflowsStarted(accepted, duplicates, clock.instant());
        if (duplicates > 0) {
          log.info("{} of {} changes were already started (replay after a restart): acknowledged", duplicates,
              accepted.size());
        }
      }
    } catch (RuntimeException e) { // an outage (WorkflowStartException), or a rejected start that could not be kept
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

  /** Starts the truncate's workflow, or keeps it as a reject when it cannot be started (then reconciliation). */
  private void startTruncate(Truncate truncate, SourceRecord source) {
    if (truncates == null) {
      String reason = "TRUNCATE of " + truncate.table() + " at position " + truncate.position() + " is not applied "
          + "by this capture (no workflow client): reconciliation removes its graph elements";
      log.error(reason);
      rejects.record(source, reason);
      return;
    }
    StartOutcome outcome = truncates.start(truncate);
    if (outcome instanceof StartOutcome.Rejected rejected) {
      String reason = rejected.describe(truncate.workflowId());
      log.error("{}; the truncate is kept in {} and acknowledged, reconciliation will remove the graph elements of {}",
          reason, PostgresRejectedChanges.TABLE, truncate.table());
      rejects.record(source, reason);
    } else {
      log.info("TRUNCATE of {} at position {}: {} removes its graph elements", truncate.table(), truncate.position(),
          truncate.workflowId());
    }
  }

  private Optional<Truncate> truncateOf(SourceRecord record) {
    try {
      return mapper.truncateOf(record);
    } catch (MalformedChangeException e) {
      log.error("skipping a malformed truncate (topic {}): {}", record.topic(), e.getMessage());
      rejects.record(record, e.getMessage());
      listener.onMalformedRecord(record, e);
      return Optional.empty();
    }
  }

  /** Keeps a change whose start Temporal will never accept, so it can be acknowledged; throws if it cannot. */
  private void reject(SourceRecord source, ChangeEvent event, StartOutcome.Rejected rejected) {
    String reason = rejected.describe(event);
    log.error("{}; the change at position {} is kept in {} and acknowledged, reconciliation will repair entity {} {}",
        reason, event.position(), PostgresRejectedChanges.TABLE, event.entityType(), event.entityId());
    rejects.record(source, reason);
    listener.onStartRejected(event, rejected);
  }

  private Optional<ChangeEvent> map(SourceRecord record) {
    try {
      return mapper.map(record);
    } catch (MalformedChangeException e) {
      log.error("skipping a malformed change at position {} (topic {}): {}; reconciliation will repair the entity",
          ChangeEventMapper.positionOf(record).map(String::valueOf).orElse("unknown"), record.topic(),
          e.getMessage());
      rejects.record(record, e.getMessage());
      listener.onMalformedRecord(record, e);
      return Optional.empty();
    } catch (RuntimeException e) {
      MalformedChangeException malformed = new MalformedChangeException(
          "cannot map the change: " + e, ChangeEventMapper.positionOf(record).orElse(null));
      malformed.initCause(e);
      log.error("skipping a change that failed to map at position {} (topic {})",
          ChangeEventMapper.positionOf(record).map(String::valueOf).orElse("unknown"), record.topic(), e);
      rejects.record(record, malformed.getMessage());
      listener.onMalformedRecord(record, malformed);
      return Optional.empty();
    }
  }
}
