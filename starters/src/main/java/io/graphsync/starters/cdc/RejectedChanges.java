package io.graphsync.starters.cdc;

import org.apache.kafka.connect.source.SourceRecord;

/**
 * Where the capture keeps the changes it could not map, before it acknowledges them: nothing leaves the slot without
 * a durable, operator-visible record. Unlike a {@link CaptureListener}, a sink may throw: the batch is then not
 * acknowledged and is delivered again.
 */
@FunctionalInterface
public interface RejectedChanges {

  /** Keeps the record; throws when it could not be kept. */
  void record(SourceRecord record, MalformedChangeException error);
}
