package io.graphsync.workflows.bulk;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What to backfill; every field is optional, so {@code {}} loads every mapped table with the worker's defaults. E.g.
 * one tenant's users: {@code {"tables":["users"],"tenantId":"7d01aa2b-..."}}; a key range of one table:
 * {@code {"tables":["concepts"],"fromKey":"4","toKey":"7"}}.
 *
 * @param tables mapped tables (entity or join tables, as the mapping names them); null or empty: all of them,
 *     entity tables first
 * @param tenantId only rows of this tenant; null: all tenants
 * @param fromKey only keys from this one on (inclusive), in the key column's own order; null: from the first
 * @param toKey only keys up to this one (inclusive); null: to the last. Key ranges need exactly one table
 * @param pageSize rows per page (one PostgreSQL read, one Neo4j transaction, one status statement); null: the
 *     worker's default
 * @param continuation set by the workflow when it continues as new; callers leave it out
 */
public record BackfillRequest(
    @JsonProperty("tables") List<String> tables,
    @JsonProperty("tenantId") String tenantId,
    @JsonProperty("fromKey") String fromKey,
    @JsonProperty("toKey") String toKey,
    @JsonProperty("pageSize") Integer pageSize,
    @JsonProperty("continuation") BackfillContinuation continuation) {

  /** The most rows per page: a page is one Neo4j transaction and one activity's memory. */
  public static final int MAX_PAGE_SIZE = 5000;

  public BackfillRequest {
    tables = tables == null ? List.of() : List.copyOf(tables);
    tenantId = blankToNull(tenantId);
    fromKey = blankToNull(fromKey);
    toKey = blankToNull(toKey);
  }

  /** Every mapped table, every tenant. */
  public static BackfillRequest all() {
    return new BackfillRequest(null, null, null, null, null, null);
  }

  /** The request with the page size filled in ({@code defaultPageSize} when absent), capped at the maximum. */
  public BackfillRequest withDefaults(int defaultPageSize) {
    int size = pageSize == null || pageSize <= 0 ? defaultPageSize : Math.min(pageSize, MAX_PAGE_SIZE);
    return new BackfillRequest(tables, tenantId, fromKey, toKey, size, continuation);
  }

  /** The same request continuing at {@code next}. */
  public BackfillRequest continueAt(BackfillContinuation next) {
    return new BackfillRequest(tables, tenantId, fromKey, toKey, pageSize, next);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
