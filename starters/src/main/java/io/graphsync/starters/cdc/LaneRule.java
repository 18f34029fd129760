package io.graphsync.starters.cdc;

import io.graphsync.workflows.sync.ChangeEvent;
import java.util.Objects;
import java.util.Set;

/**
 * A routing rule of the capture's priority lanes: the changes of these tables (as the mapping names them) and/or
 * tenants start their workflows on {@code taskQueue}. An empty set matches everything; the first matching rule wins;
 * changes no rule matches go to the capture's default task queue. E.g. every change of tenant {@code acme} to
 * {@code sync-critical}: {@code new LaneRule("sync-critical", Set.of(), Set.of("acme-tenant-id"))}.
 *
 * @param taskQueue the lane, e.g. {@code sync-critical}
 * @param tables the mapped tables of the rule; empty: any
 * @param tenants the tenant ids of the rule; empty: any
 */
public record LaneRule(String taskQueue, Set<String> tables, Set<String> tenants) {

  public LaneRule {
    Objects.requireNonNull(taskQueue, "taskQueue");
    tables = tables == null ? Set.of() : Set.copyOf(tables);
    tenants = tenants == null ? Set.of() : Set.copyOf(tenants);
    if (tables.isEmpty() && tenants.isEmpty()) {
      throw new IllegalArgumentException("a lane rule for " + taskQueue + " names no table and no tenant: it would "
          + "route everything (set the capture's task queue instead)");
    }
  }

  boolean matches(ChangeEvent event) {
    return (tables.isEmpty() || tables.contains(event.table()))
        && (tenants.isEmpty() || (event.tenantId() != null && tenants.contains(event.tenantId())));
  }
}
