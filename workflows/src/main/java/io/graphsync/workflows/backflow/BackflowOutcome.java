package io.graphsync.workflows.backflow;

/** What writing a graph change into PostgreSQL did. */
public enum BackflowOutcome {
  /** The row was inserted or updated from the element (in one transaction, locked on {@code pg_version}). */
  WRITTEN,
  /** The row already held the element's values: nothing written. */
  UNCHANGED,
  /** The element's change was synced already (its {@code backflowVersion} is not behind), or the element is gone. */
  NOTHING_TO_DO,
  /** Both sides changed; the policy kept the row, and the graph is rewritten from it. */
  POSTGRES_WINS,
  /** Both sides changed; the node was modified last, and the row was updated from it. */
  NEO4J_WINS,
  /** Both sides changed; the conflict goes to a person ({@code ManualResolutionWorkflow}). */
  MANUAL
}
