package io.graphsync.workflows.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One call of {@link ReconciliationActivities#compare}: up to {@code maxPages} pages of one table after a cursor.
 *
 * @param table the mapped table
 * @param tenantId only this tenant, or null
 * @param afterKey compare keys after this one (text order); null: from the start
 * @param pageSize keys per page
 * @param maxPages pages in this call
 * @param maxCandidates stop after the page that brought the candidates to this many
 */
public record ComparisonRequest(
    @JsonProperty("table") String table,
    @JsonProperty("tenantId") String tenantId,
    @JsonProperty("afterKey") String afterKey,
    @JsonProperty("pageSize") int pageSize,
    @JsonProperty("maxPages") int maxPages,
    @JsonProperty("maxCandidates") int maxCandidates) {}
