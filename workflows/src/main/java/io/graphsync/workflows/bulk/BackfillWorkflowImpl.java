package io.graphsync.workflows.bulk;

import io.graphsync.workflows.reconcile.RepairActivities;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Plans the tables ({@link BackfillActivities#planBackfill}), then loads them one after the other with
 * {@link BackfillActivities#loadPages} (a few pages per call, each page heartbeated). Rows that could not be written
 * are handed to their own {@code SyncChangeEventWorkflow}s ({@link RepairActivities#startRepairs}: same id scheme as
 * every sync), so an operator finds, retries or skips them per entity in the Web UI. After
 * {@link BackfillPolicy#callsPerRun()} calls, or when Temporal suggests it, it continues as new with its cursor and
 * counts. The current details show the percentage in the Web UI.
 */
public class BackfillWorkflowImpl implements BackfillWorkflow {

  private static final Logger log = Workflow.getLogger(BackfillWorkflowImpl.class);

  /** Failed rows' workflow ids kept in the summary (all of them are counted, and searchable in the Web UI). */
  static final int MAX_LISTED_FAILURES = 100;

  private final BackfillPolicy policy;
  private final BackfillActivities planning =
      Workflow.newActivityStub(BackfillActivities.class, BackfillActivityOptions.PLAN);
  private final BackfillActivities loading =
      Workflow.newActivityStub(BackfillActivities.class, BackfillActivityOptions.LOAD);
  private final RepairActivities splitOut =
      Workflow.newActivityStub(RepairActivities.class, BackfillActivityOptions.SPLIT_OUT);

  private String phase = "PLANNING";
  private BackfillPlan plan = new BackfillPlan(List.of(), List.of());
  private int tableIndex;
  private String afterKey;
  private BackfillCounts counts = BackfillCounts.ZERO;
  private int segment;
  private final List<String> failedWorkflowIds = new ArrayList<>();

  public BackfillWorkflowImpl(BackfillPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  @Override
  public BackfillSummary backfill(BackfillRequest input) {
    BackfillRequest given = input == null ? BackfillRequest.all() : input;
    BackfillPolicy fixed = Workflow.sideEffect(BackfillPolicy.class, () -> policy);
    BackfillRequest request = given.withDefaults(fixed.pageSize());
    Instant startedAt = begin(request);

    int calls = 0;
    phase = "LOADING";
    while (tableIndex < plan.tables().size()) {
      String table = plan.tables().get(tableIndex);
      BackfillPageResult result = loading.loadPages(new BackfillPageRequest(table, request.tenantId(), afterKey,
          request.fromKey(), request.toKey(), request.pageSize(), fixed.pagesPerActivity()));
      calls++;
      counts = counts.plus(result.counts());
      if (!result.failed().isEmpty()) {
        List<String> started = splitOut.startRepairs(result.failed());
        started.stream().limit(Math.max(0, MAX_LISTED_FAILURES - failedWorkflowIds.size()))
            .forEach(failedWorkflowIds::add);
        log.warn("backfill of {}: {} rows could not be written, each handed to its own sync workflow", table,
            started.size());
      }
      if (result.done()) {
        tableIndex++;
        afterKey = null;
      } else {
        afterKey = result.nextKey();
      }
      Workflow.setCurrentDetails(details());
      if (tableIndex < plan.tables().size()
          && (calls >= fixed.callsPerRun() || Workflow.getInfo().isContinueAsNewSuggested())) {
        Workflow.await(Workflow::isEveryHandlerFinished);
        log.info("backfill continues as new at table {} after key {} ({}% done)", plan.tables().get(tableIndex),
            afterKey, percentDone());
        Workflow.continueAsNew(request.continueAt(
            new BackfillContinuation(plan, tableIndex, afterKey, counts, segment + 1, startedAt)));
      }
    }
    phase = "DONE";
    Workflow.setCurrentDetails(details());
    return new BackfillSummary(plan.tables(), request.tenantId(), counts, List.copyOf(failedWorkflowIds),
        segment + 1, startedAt, Instant.ofEpochMilli(Workflow.currentTimeMillis()));
  }

  @Override
  public BackfillProgress progress() {
    String table = tableIndex < plan.tables().size() ? plan.tables().get(tableIndex) : null;
    return new BackfillProgress(phase, plan.tables(), table, afterKey, plan.totalRows(), percentDone(), counts,
        segment);
  }

  private Instant begin(BackfillRequest request) {
    BackfillContinuation continuation = request.continuation();
    if (continuation != null) {
      plan = continuation.plan();
      tableIndex = continuation.tableIndex();
      afterKey = continuation.afterKey();
      counts = continuation.counts() == null ? BackfillCounts.ZERO : continuation.counts();
      segment = continuation.segment();
      return continuation.startedAt();
    }
    Instant startedAt = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    plan = planning.planBackfill(request);
    log.info("backfill of {} ({} rows in scope), tenant {}, keys {}..{}", plan.tables(), plan.totalRows(),
        request.tenantId(), request.fromKey(), request.toKey());
    Workflow.setCurrentDetails(details());
    return startedAt;
  }

  private int percentDone() {
    long total = plan.totalRows();
    if (phase.equals("DONE")) {
      return 100;
    }
    return total == 0 ? 0 : (int) Math.min(99, counts.rows() * 100 / total);
  }

  /** The Web UI's current details: percent done and what happened so far. */
  private String details() {
    String where = tableIndex < plan.tables().size()
        ? "table " + plan.tables().get(tableIndex) + (afterKey == null ? "" : " after key " + afterKey)
        : "all tables";
    return "**" + percentDone() + "% done** (" + phase + ", " + where + "): " + counts.rows() + " of "
        + plan.totalRows() + " rows read, " + counts.applied() + " written, " + counts.stale()
        + " already newer in the graph, " + counts.failed() + " failed (each in its own sync workflow), "
        + counts.pages() + " pages";
  }
}
