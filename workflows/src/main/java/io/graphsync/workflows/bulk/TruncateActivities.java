package io.graphsync.workflows.bulk;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Removes what a truncated table put into the graph. */
@ActivityInterface
public interface TruncateActivities {

  /**
   * Deletes up to {@code limit} graph elements of the truncated table that were synced from a change before the
   * truncate (nodes of its label, or relationships of its type, with a {@code syncPosition} before it, and
   * placeholders of the label), each leaving a tombstone at the truncate's position so a late change cannot bring it
   * back. Elements created in the graph (no {@code syncPosition}) and elements written by a later change stay.
   * Idempotent.
   *
   * @return how many elements were deleted (0: done)
   */
  @ActivityMethod
  int deleteTruncated(Truncate truncate, int limit);
}
