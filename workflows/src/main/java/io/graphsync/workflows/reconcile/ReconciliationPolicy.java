package io.graphsync.workflows.reconcile;

import java.time.Duration;
import java.util.Objects;

/**
 * The worker's defaults for reconciliation, given to {@link ReconciliationWorkflowImpl} at construction (worker-app:
 * {@code graphsync.reconciliation.*}). A request's own values win; the effective values are fixed in the first
 * workflow task and carried over continue-as-new, so a change of these defaults never affects a running workflow.
 *
 * @param pageSize keys per page (one PostgreSQL snapshot and one Neo4j read each)
 * @param grace how long a candidate must stay different, unchanged, before it is reported (in-flight syncs)
 * @param pagesPerActivity pages one comparison activity compares (heartbeating its cursor after each page)
 * @param maxPagesPerRun pages per workflow run before it continues as new (a bound on history size)
 * @param maxPendingCandidates candidates collected before they are re-checked, even mid-table
 */
public record ReconciliationPolicy(int pageSize, Duration grace, int pagesPerActivity, int maxPagesPerRun,
    int maxPendingCandidates) {

  /** 500 keys per page, 30 s grace, 20 pages per activity, 1,000 pages per run, 200 pending candidates. */
  public static final ReconciliationPolicy DEFAULT = new ReconciliationPolicy(500, Duration.ofSeconds(30), 20, 1000,
      200);

  public ReconciliationPolicy {
    Objects.requireNonNull(grace, "grace");
    if (pageSize <= 0 || pagesPerActivity <= 0 || maxPagesPerRun <= 0 || maxPendingCandidates <= 0) {
      throw new IllegalArgumentException("pageSize, pagesPerActivity, maxPagesPerRun and maxPendingCandidates must be "
          + "positive");
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative, was " + grace);
    }
  }
}
