package io.graphsync.workflows.health;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Reaches both stores from the worker. */
@ActivityInterface
public interface HealthCheckActivities {

  /** Reads server versions from PostgreSQL and Neo4j, and PostgreSQL's {@code wal_level}. */
  @ActivityMethod
  StoreProbe probeStores();
}
