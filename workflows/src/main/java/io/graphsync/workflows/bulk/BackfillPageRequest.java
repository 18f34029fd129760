package io.graphsync.workflows.bulk;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One {@link BackfillActivities#loadPages} call: up to {@code maxPages} pages of one table after {@code afterKey}.
 *
 * @param table the mapped table
 * @param tenantId only this tenant's rows, or null
 * @param afterKey resume after this key (exclusive), or null for the table's start (then {@code fromKey} applies)
 * @param fromKey the first key in scope (inclusive), or null
 * @param toKey the last key in scope (inclusive), or null
 * @param pageSize rows per page
 * @param maxPages pages in this call
 */
public record BackfillPageRequest(
    @JsonProperty("table") String table,
    @JsonProperty("tenantId") String tenantId,
    @JsonProperty("afterKey") String afterKey,
    @JsonProperty("fromKey") String fromKey,
    @JsonProperty("toKey") String toKey,
    @JsonProperty("pageSize") int pageSize,
    @JsonProperty("maxPages") int maxPages) {}
