package io.graphsync.activities.metrics;

/** How a change reached the graph: the {@code path} tag of the sync meters. */
public enum SyncPath {
  /** One {@code SyncChangeEventWorkflow} per change ({@code applyToGraph}). */
  PER_CHANGE("per-change"),
  /** A {@code SyncBatchWorkflow}'s grouped write ({@code applyBatchToGraph}). */
  BATCH("batch");

  private final String tag;

  SyncPath(String tag) {
    this.tag = tag;
  }

  /** The tag value, e.g. {@code per-change}. */
  public String tag() {
    return tag;
  }
}
