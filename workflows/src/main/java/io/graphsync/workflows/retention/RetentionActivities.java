package io.graphsync.workflows.retention;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Deletes graphsync's records older than their retention. */
@ActivityInterface
public interface RetentionActivities {

  /** Deletes, a batch per transaction, what {@code policy} no longer keeps; idempotent. */
  @ActivityMethod(name = "PurgeExpired")
  RetentionSummary purgeExpired(RetentionPolicy policy);
}
