package io.graphsync.workflows.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Running totals of a reconciliation (carried over continue-as-new).
 *
 * @param rows rows compared
 * @param nodes nodes and join relationships compared
 * @param pages pages compared
 * @param candidates differences found by the scan, before the grace re-check
 * @param inFlight candidates the re-check no longer found the same way (a sync was in flight): not reported
 * @param missing confirmed MISSING_IN_NEO4J
 * @param orphans confirmed ORPHAN_IN_NEO4J
 * @param stale confirmed STALE_VERSION
 * @param attributes confirmed ATTRIBUTE_MISMATCH
 * @param relationships confirmed RELATIONSHIP_MISMATCH
 * @param repairsStarted sync workflows started to repair, and missing rows handed to a backfill
 * @param escalated conflicts handed to a person
 * @param reported findings only recorded (policy off, or not synced from PostgreSQL)
 */
public record ReconciliationCounts(
    @JsonProperty("rows") long rows,
    @JsonProperty("nodes") long nodes,
    @JsonProperty("pages") long pages,
    @JsonProperty("candidates") long candidates,
    @JsonProperty("inFlight") long inFlight,
    @JsonProperty("missing") long missing,
    @JsonProperty("orphans") long orphans,
    @JsonProperty("stale") long stale,
    @JsonProperty("attributes") long attributes,
    @JsonProperty("relationships") long relationships,
    @JsonProperty("repairsStarted") long repairsStarted,
    @JsonProperty("escalated") long escalated,
    @JsonProperty("reported") long reported) {

  public static final ReconciliationCounts ZERO = new ReconciliationCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Confirmed findings of all types. */
  public long findings() {
    return missing + orphans + stale + attributes + relationships;
  }

  ReconciliationCounts scanned(ComparisonResult page) {
    return new ReconciliationCounts(rows + page.rows(), nodes + page.nodes(), pages + page.pages(),
        candidates + page.candidates().size(), inFlight, missing, orphans, stale, attributes, relationships,
        repairsStarted, escalated, reported);
  }

  ReconciliationCounts inFlight(long dropped) {
    return new ReconciliationCounts(rows, nodes, pages, candidates, inFlight + dropped, missing, orphans, stale,
        attributes, relationships, repairsStarted, escalated, reported);
  }

  ReconciliationCounts confirmed(FindingType type, FindingAction action) {
    return new ReconciliationCounts(rows, nodes, pages, candidates, inFlight,
        missing + (type == FindingType.MISSING_IN_NEO4J ? 1 : 0),
        orphans + (type == FindingType.ORPHAN_IN_NEO4J ? 1 : 0),
        stale + (type == FindingType.STALE_VERSION ? 1 : 0),
        attributes + (type == FindingType.ATTRIBUTE_MISMATCH ? 1 : 0),
        relationships + (type == FindingType.RELATIONSHIP_MISMATCH ? 1 : 0),
        repairsStarted + (action == FindingAction.REPAIR_STARTED || action == FindingAction.BACKFILL_STARTED ? 1 : 0),
        escalated + (action == FindingAction.ESCALATED ? 1 : 0),
        reported + (action == FindingAction.REPORTED || action == FindingAction.NOT_SYNCED ? 1 : 0));
  }
}
