package io.graphsync.app.reconcile;

import io.graphsync.workflows.reconcile.ReconciliationPolicy;
import io.graphsync.workflows.reconcile.ReconciliationRequest;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Scheduled reconciliation ({@code graphsync.reconciliation.*}): the Temporal Schedule worker-app installs at start,
 * the scope of its runs, and the worker's defaults for every run (a request's own values win).
 *
 * @param scheduleEnabled install (create or update) the Schedule at start
 * @param scheduleId the Schedule's id, as the Web UI's Schedules page and {@code temporal schedule} show it
 * @param interval how often a scheduled run starts (a run still going makes the next one skip: overlap SKIP)
 * @param paused install it paused (an operator's pause in the Web UI survives restarts either way)
 * @param tables the tables of a scheduled run; empty: every mapped table
 * @param tenantId the tenant of a scheduled run; empty: all tenants
 * @param pageSize keys per page
 * @param grace how long a difference must persist unchanged before it is reported (in-flight syncs are not drift)
 * @param pagesPerActivity pages per comparison activity (it heartbeats its cursor after each)
 * @param maxPagesPerRun pages per workflow run before it continues as new
 * @param maxPendingCandidates differences collected before they are re-checked
 * @param repairCooldown a repair of the same row version started this recently is not started again
 */
@ConfigurationProperties("graphsync.reconciliation")
public record ReconciliationProperties(
    @DefaultValue("true") boolean scheduleEnabled,
    @DefaultValue("graphsync-reconciliation") String scheduleId,
    @DefaultValue("1h") Duration interval,
    @DefaultValue("false") boolean paused,
    @DefaultValue List<String> tables,
    String tenantId,
    @DefaultValue("500") int pageSize,
    @DefaultValue("30s") Duration grace,
    @DefaultValue("20") int pagesPerActivity,
    @DefaultValue("1000") int maxPagesPerRun,
    @DefaultValue("200") int maxPendingCandidates,
    @DefaultValue("24h") Duration repairCooldown) {

  ReconciliationPolicy policy() {
    return new ReconciliationPolicy(pageSize, grace, pagesPerActivity, maxPagesPerRun, maxPendingCandidates);
  }

  /** What a scheduled run reconciles. */
  ReconciliationRequest scheduledRequest() {
    return new ReconciliationRequest(tables, tenantId == null || tenantId.isBlank() ? null : tenantId, null, null,
        null, null, null);
  }
}
