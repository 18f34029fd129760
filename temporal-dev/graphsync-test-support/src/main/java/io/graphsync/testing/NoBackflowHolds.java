package io.graphsync.testing;

import io.graphsync.workflows.backflow.GraphStampActivities;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.GraphApplyResult;

/**
 * {@link GraphStampActivities} for a test of conflict resolution without a graph: no node is held by the back-flow, so
 * the resolution workflow's release of a hold before a decision finds none. Stamping an echo is not expected.
 */
public final class NoBackflowHolds implements GraphStampActivities {

  @Override
  public GraphApplyResult stampFromPostgres(ChangeEvent event) {
    throw new UnsupportedOperationException("no graph in this test: nothing to stamp");
  }

  @Override
  public void holdForDecision(Conflict conflict) {}

  @Override
  public boolean releaseHold(Conflict conflict) {
    return false;
  }
}
