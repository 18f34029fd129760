package io.graphsync.workflows.observability;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/**
 * Search attributes set on graphsync's workflows so that the Web UI and {@code temporal workflow list --query}
 * can filter them, e.g. {@code SyncStatus = "FAILED" AND TenantId = "t-1"}. They must be registered on the
 * namespace: the dev stack does it at start; {@code temporal-dev/bin/stack register-search-attributes} does it
 * on a real cluster.
 */
public final class SyncSearchAttributes {

  public static final SearchAttributeKey<String> ENTITY_TYPE = SearchAttributeKey.forKeyword("EntityType");
  public static final SearchAttributeKey<String> ENTITY_ID = SearchAttributeKey.forKeyword("EntityId");
  public static final SearchAttributeKey<String> TENANT_ID = SearchAttributeKey.forKeyword("TenantId");
  public static final SearchAttributeKey<String> EVENT_TYPE = SearchAttributeKey.forKeyword("EventType");
  public static final SearchAttributeKey<String> SYNC_STATUS = SearchAttributeKey.forKeyword("SyncStatus");

  /**
   * Set on {@code ManualResolutionWorkflow}s: {@code OPEN} (waiting for a person's decision), {@code OVERDUE} (the
   * reminder timer fired before anyone decided), {@code RESOLVED}. E.g. the Web UI's list of forgotten conflicts:
   * {@code WorkflowType="ManualResolutionWorkflow" AND ConflictStatus="OVERDUE"}.
   */
  public static final SearchAttributeKey<String> CONFLICT_STATUS = SearchAttributeKey.forKeyword("ConflictStatus");

  /**
   * Where the change comes from, set on the back-flow's workflows: {@code NEO4J} (a {@code Neo4jToPostgresSyncWorkflow}
   * or the poller). E.g. {@code Source="NEO4J" AND SyncStatus="FAILED"}.
   */
  public static final SearchAttributeKey<String> SOURCE = SearchAttributeKey.forKeyword("Source");

  /** Every key, for registration and for the check that the dev stack registers the same set. */
  public static final List<SearchAttributeKey<?>> ALL =
      List.of(ENTITY_TYPE, ENTITY_ID, TENANT_ID, EVENT_TYPE, SYNC_STATUS, CONFLICT_STATUS, SOURCE);

  private SyncSearchAttributes() {}
}
