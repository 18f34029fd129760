package io.graphsync.workflows.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which findings are repaired automatically; every field is optional (null = the default, {@code true}). A finding
 * that is not repaired is still recorded ({@link FindingAction#REPORTED}). E.g. report orphans instead of deleting
 * them: {@code "repair": {"orphans": false}}; report everything: {@code "repair": {"enabled": false}}.
 *
 * @param enabled false: repair and escalate nothing, only record (a dry run)
 * @param missing MISSING_IN_NEO4J: sync the row (re-read from PostgreSQL)
 * @param orphans ORPHAN_IN_NEO4J of synced elements: a DELETE through the sync (leaves a tombstone); placeholders and
 *     elements created in the graph are never deleted
 * @param stale STALE_VERSION: sync the row
 * @param attributes ATTRIBUTE_MISMATCH at different versions: sync the row
 * @param relationships RELATIONSHIP_MISMATCH: sync the row (its foreign keys) or the join row
 * @param escalate ATTRIBUTE_MISMATCH at the same {@code pg_version} (the node was edited in Neo4j): hand it to a
 *     person ({@code ManualResolutionWorkflow}); never repaired automatically
 */
public record RepairPolicy(
    @JsonProperty("enabled") Boolean enabled,
    @JsonProperty("missing") Boolean missing,
    @JsonProperty("orphans") Boolean orphans,
    @JsonProperty("stale") Boolean stale,
    @JsonProperty("attributes") Boolean attributes,
    @JsonProperty("relationships") Boolean relationships,
    @JsonProperty("escalate") Boolean escalate) {

  /** Repair every simple kind, escalate same-version conflicts. */
  public static final RepairPolicy DEFAULT = new RepairPolicy(true, true, true, true, true, true, true);

  /** Record only. */
  public static final RepairPolicy REPORT_ONLY = new RepairPolicy(false, false, false, false, false, false, false);

  /**
   * What to do about a confirmed finding (before the repair or escalation is carried out). A graph element without
   * a row that was not synced from PostgreSQL (placeholder, created in the graph) is never deleted.
   */
  public FindingAction actionFor(Finding finding) {
    if (!finding.inPostgres() && !finding.syncedFromPostgres()) {
      return FindingAction.NOT_SYNCED;
    }
    if (!on(enabled)) {
      return FindingAction.REPORTED;
    }
    if (finding.sameVersionConflict()) {
      return on(escalate) ? FindingAction.ESCALATED : FindingAction.REPORTED;
    }
    boolean repair = switch (finding.type()) {
      case MISSING_IN_NEO4J -> on(missing);
      case ORPHAN_IN_NEO4J -> on(orphans);
      case STALE_VERSION -> on(stale);
      case ATTRIBUTE_MISMATCH -> on(attributes);
      case RELATIONSHIP_MISMATCH -> on(relationships);
    };
    // an earlier repair of the same version has not reached the graph: it failed or still runs; do not pile up more
    return repair && finding.pendingRepair() == null ? FindingAction.REPAIR_STARTED : FindingAction.REPORTED;
  }

  private static boolean on(Boolean flag) {
    return flag == null || flag;
  }
}
