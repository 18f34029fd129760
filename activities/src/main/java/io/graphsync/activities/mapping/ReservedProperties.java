package io.graphsync.activities.mapping;

import java.util.Set;

/** Property names graphsync writes itself; a mapped column must not become one of them. */
public final class ReservedProperties {

  /** On nodes: the key, the sync bookkeeping, the placeholder flag and the write guard's scratch properties. */
  public static final Set<String> NODE = Set.of("id", "pgId", "tenantId", "pgVersion", "neo4jVersion",
      "lastSyncedAt", "syncPosition", "placeholder", "graphsyncNew", "graphsyncLock");

  /** On relationships made from join-table rows. */
  public static final Set<String> RELATIONSHIP = Set.of("tenantId", "syncPosition", "lastSyncedAt");

  private ReservedProperties() {}
}
