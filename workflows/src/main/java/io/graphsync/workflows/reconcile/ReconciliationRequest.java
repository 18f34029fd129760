package io.graphsync.workflows.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * What to reconcile; every field is optional, so {@code {}} reconciles everything with the worker's defaults
 * ({@link ReconciliationPolicy}). E.g. one tenant's users:
 * {@code {"tables":["users"],"tenantId":"7d01aa2b-...","pageSize":200,"grace":"PT10S","repair":{"orphans":false}}}.
 *
 * @param tables the mapped tables (entity or join tables, as the mapping names them); null or empty: all of them
 * @param tenantId only rows of this tenant and nodes with this {@code tenantId}; null: all tenants
 * @param pageSize keys per page; null: the policy's
 * @param grace how long a candidate must stay different before it is reported (ISO-8601, e.g. {@code "PT30S"});
 *     null: the policy's
 * @param repair which kinds are repaired; null: {@link RepairPolicy#DEFAULT}
 * @param maxPagesPerRun pages per workflow run before it continues as new; null: the policy's
 * @param continuation set by the workflow when it continues as new; callers leave it out
 */
public record ReconciliationRequest(
    @JsonProperty("tables") List<String> tables,
    @JsonProperty("tenantId") String tenantId,
    @JsonProperty("pageSize") Integer pageSize,
    @JsonProperty("grace") Duration grace,
    @JsonProperty("repair") RepairPolicy repair,
    @JsonProperty("maxPagesPerRun") Integer maxPagesPerRun,
    @JsonProperty("continuation") ReconciliationContinuation continuation) {

  public ReconciliationRequest {
    tables = tables == null ? List.of() : List.copyOf(tables);
  }

  /** Everything, with the worker's defaults. */
  public static ReconciliationRequest all() {
    return new ReconciliationRequest(null, null, null, null, null, null, null);
  }

  /** The same request continuing at {@code next}. */
  public ReconciliationRequest continueAt(ReconciliationContinuation next) {
    return new ReconciliationRequest(tables, tenantId, pageSize, grace, repair, maxPagesPerRun, next);
  }

  /** The request with every default filled in from {@code policy}. */
  public ReconciliationRequest withDefaults(ReconciliationPolicy policy) {
    return new ReconciliationRequest(tables, blankToNull(tenantId),
        pageSize == null || pageSize <= 0 ? policy.pageSize() : pageSize,
        grace == null || grace.isNegative() ? policy.grace() : grace,
        repair == null ? RepairPolicy.DEFAULT : repair,
        maxPagesPerRun == null || maxPagesPerRun <= 0 ? policy.maxPagesPerRun() : maxPagesPerRun,
        continuation);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
