package io.graphsync.starters.cdc;

import io.graphsync.workflows.bulk.SyncBatch;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Decides, per Debezium batch, which changes start one {@code SyncChangeEventWorkflow} each and which are grouped
 * into {@code SyncBatchWorkflow}s. Live traffic — a few changes per batch while few syncs are in flight — stays one
 * workflow per change. A batch of at least {@code groupThreshold} changes (a large transaction, or a backlog such as
 * the catch-up after an outage: Debezium then delivers full batches), or one that would take the per-change
 * workflows in flight over {@code maxInFlight} (backpressure), is grouped. Changes routed to a priority lane other
 * than the default one (e.g. {@code sync-critical}) always start one workflow each. Groups hold at most
 * {@code maxBatchEvents} changes and {@code maxBatchBytes} of serialized input; a change too large for a group starts
 * its own workflow.
 */
final class CaptureGrouping {

  /** What to start for one Debezium batch. */
  record Plan(List<ChangeEvent> perChange, List<SyncBatch> batches) {}

  private final int groupThreshold;
  private final int maxInFlight;
  private final int maxBatchEvents;
  private final int maxBatchBytes;
  private final Function<ChangeEvent, String> laneOf;
  private final String defaultLane;
  private final ToIntFunction<ChangeEvent> sizeOf;

  CaptureGrouping(int groupThreshold, int maxInFlight, int maxBatchEvents, int maxBatchBytes,
      Function<ChangeEvent, String> laneOf, String defaultLane, ToIntFunction<ChangeEvent> sizeOf) {
    this.groupThreshold = groupThreshold;
    this.maxInFlight = maxInFlight;
    this.maxBatchEvents = maxBatchEvents;
    this.maxBatchBytes = maxBatchBytes;
    this.laneOf = laneOf;
    this.defaultLane = defaultLane;
    this.sizeOf = sizeOf;
  }

  /**
   * @param events the mapped changes of one Debezium batch, in capture order
   * @param inFlight how many per-change syncs are running now (an estimate)
   */
  Plan plan(List<ChangeEvent> events, long inFlight) {
    List<ChangeEvent> perChange = new ArrayList<>();
    List<ChangeEvent> groupable = new ArrayList<>();
    for (ChangeEvent event : events) {
      // the back-flow's own writes (source NEO4J) only stamp the graph, which only the per-change sync does
      (defaultLane.equals(laneOf.apply(event)) && event.source() != EventSource.NEO4J ? groupable : perChange)
          .add(event);
    }
    if (groupable.isEmpty()
        || (groupable.size() < groupThreshold && inFlight + groupable.size() <= maxInFlight)) {
      perChange.addAll(groupable);
      return new Plan(orderedAsIn(events, perChange), List.of());
    }
    List<SyncBatch> batches = new ArrayList<>();
    List<ChangeEvent> current = new ArrayList<>();
    int bytes = 0;
    for (ChangeEvent event : groupable) {
      int size = sizeOf.applyAsInt(event);
      if (size > maxBatchBytes / 4) {
        perChange.add(event); // a large row: its own workflow (its data may be omitted and re-read there)
        continue;
      }
      if (!current.isEmpty() && (current.size() >= maxBatchEvents || bytes + size > maxBatchBytes)) {
        batches.add(SyncBatch.of(current));
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(event);
      bytes += size;
    }
    if (!current.isEmpty()) {
      batches.add(SyncBatch.of(current));
    }
    return new Plan(orderedAsIn(events, perChange), batches);
  }

  /** The bytes Temporal's default converter writes for the event (the size it has in a batch's input). */
  static int serializedSize(ChangeEvent event) {
    return DefaultDataConverter.STANDARD_INSTANCE.toPayload(event).map(Payload::getSerializedSize).orElse(0);
  }

  private static List<ChangeEvent> orderedAsIn(List<ChangeEvent> events, List<ChangeEvent> subset) {
    if (subset.size() == events.size()) {
      return events;
    }
    java.util.Set<ChangeEvent> wanted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    wanted.addAll(subset);
    return events.stream().filter(wanted::contains).toList();
  }
}
