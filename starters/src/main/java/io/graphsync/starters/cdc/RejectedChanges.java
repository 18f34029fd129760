package io.graphsync.starters.cdc;

import org.apache.kafka.connect.source.SourceRecord;

/**
 * Where the capture keeps the changes it cannot turn into a workflow — records it could not map, and starts that
 * Temporal rejected for good — before it acknowledges them: nothing leaves the slot without a durable,
 * operator-visible record. Unlike a {@link CaptureListener}, a sink may throw: the batch is then not acknowledged
 * and is delivered again.
 */
@FunctionalInterface
public interface RejectedChanges {

  /** Keeps the record with the reason it was rejected; throws when it could not be kept. */
  void record(SourceRecord record, String error);
}
