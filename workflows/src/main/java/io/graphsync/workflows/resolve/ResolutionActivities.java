package io.graphsync.workflows.resolve;

import io.graphsync.workflows.sync.ChangeEvent;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The effects of a decision about a {@link Conflict}. KEEP_POSTGRES is {@link #rewriteEventFromPostgres} followed by
 * the sync's own {@code GraphWriteActivities.applyToGraph}; KEEP_NEO4J is {@link #keepNeo4jValues}; every decision is
 * recorded in {@code graphsync.conflict_audit}. All are idempotent.
 */
@ActivityInterface
public interface ResolutionActivities {

  /**
   * The change that rewrites the entity's node from its row as PostgreSQL holds it now: an UPDATE with
   * {@code dataOmitted=true} (so {@code applyToGraph} re-reads the row), {@code source=RECONCILIATION},
   * {@code version} = the row's {@code pg_version} and {@code position} = PostgreSQL's current WAL position, which is
   * past every change the graph has applied, so the order guard lets it through. When the row is gone: a DELETE at that
   * position (the node goes, leaving a tombstone).
   */
  @ActivityMethod
  ChangeEvent rewriteEventFromPostgres(Conflict conflict);

  /**
   * Writes the node's current values of the mapped columns into the row, guarded by the conflict's
   * {@code pg_version} ({@code WHERE key = ? AND pg_version = ?}), and records the decision in the same transaction.
   * A row whose version moved, a missing row or a missing node changes nothing and returns the reason: the approval
   * is stale. Retried after a commit whose answer was lost, it finds its record and returns what it did.
   */
  @ActivityMethod
  RowUpdateResult keepNeo4jValues(ConflictDecision decision);

  /** Records a decision (KEEP_POSTGRES after its graph write, DISMISS); a second record of it is a no-op. */
  @ActivityMethod
  void recordConflictDecision(ConflictDecision decision);
}
