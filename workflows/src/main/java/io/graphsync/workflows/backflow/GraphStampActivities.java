package io.graphsync.workflows.backflow;

import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The graph side of a row change that the back-flow itself wrote, and the hold of a node whose manual conflict is
 * open.
 */
@ActivityInterface
public interface GraphStampActivities {

  /**
   * Applies a captured change that the back-flow wrote ({@code source = NEO4J}): the element already holds those
   * values (or newer ones made in the graph since), so only the bookkeeping is written — {@code pgId},
   * {@code pgVersion}, {@code syncPosition}, {@code lastSyncedAt} — guarded by the order key like every write. The
   * element's properties, {@code neo4jVersion} and {@code neo4jModifiedAt} are left alone: no loop, and a graph edit
   * made after the back-flow read the element is never overwritten by its own echo.
   */
  @ActivityMethod
  GraphApplyResult stampFromPostgres(ChangeEvent event);

  /**
   * Holds the node of a back-flow conflict that goes to a person ({@code MANUAL}): sets {@code backflowHold} to the
   * conflict's workflow id. While it is set, a PostgreSQL-side change of the node (other than a DELETE or the
   * back-flow's own echo) is not written to the graph — it finishes, saying so — so the graph edit survives until the
   * decision. Idempotent; nothing for a relationship, a table without a node, or a node that is gone.
   */
  @ActivityMethod
  void holdForDecision(Conflict conflict);

  /**
   * Releases the hold of {@link #holdForDecision}, before a decision writes: the decision's own writes (KEEP_POSTGRES's
   * rewrite, KEEP_NEO4J's row update when the capture brings it back) then reach the graph as any change. Idempotent.
   *
   * @return whether the node was held (a decision that is not carried out holds it again only then)
   */
  @ActivityMethod
  boolean releaseHold(Conflict conflict);
}
