package io.graphsync.workflows.reconcile;

import io.graphsync.workflows.bulk.BackfillRequest;
import io.graphsync.workflows.bulk.BackfillWorkflow;
import io.graphsync.workflows.resolve.EscalationActivities;
import io.graphsync.workflows.sync.ChangeEvent;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Scans table after table with {@link ReconciliationActivities#compare} (each call compares a few pages and
 * heartbeats its cursor), collects the candidates, and settles them in batches: waits until the oldest candidate of
 * the batch is {@code grace} old, re-checks exactly those entities ({@link ReconciliationActivities#recheck}), and
 * acts only on what still differs the same way (same type, same row {@code pg_version}, same {@code syncPosition}):
 * a change that was in flight when the page was compared has moved one of them and is not drift.
 *
 * <p>Confirmed findings are repaired per the request's {@link RepairPolicy} by starting sync workflows
 * ({@link RepairActivities}), same-version attribute mismatches are escalated ({@link EscalationActivities}), and all
 * of them are recorded with their action. After {@code maxPagesPerRun} pages, or when Temporal suggests it, the
 * workflow settles its batch and continues as new with the cursor and the counts.
 *
 * <p>The {@link ReconciliationPolicy} comes from the worker (worker-app: {@code graphsync.reconciliation.*}); the
 * effective settings are fixed once per run with a side effect, so a changed configuration never changes a running
 * workflow's decisions.
 */
public class ReconciliationWorkflowImpl implements ReconciliationWorkflow {

  private static final Logger log = Workflow.getLogger(ReconciliationWorkflowImpl.class);

  /** The settings of one workflow run: the request with defaults filled in, and the worker's batch sizes. */
  record Settings(ReconciliationRequest request, int pagesPerActivity, int maxPendingCandidates) {}

  private final ReconciliationPolicy policy;
  private final ReconciliationActivities comparison =
      Workflow.newActivityStub(ReconciliationActivities.class, ReconciliationActivityOptions.COMPARE);
  private final ReconciliationActivities recheck =
      Workflow.newActivityStub(ReconciliationActivities.class, ReconciliationActivityOptions.RECHECK);
  private final ReconciliationActivities bookkeeping =
      Workflow.newActivityStub(ReconciliationActivities.class, ReconciliationActivityOptions.BOOKKEEPING);
  private final RepairActivities repairs =
      Workflow.newActivityStub(RepairActivities.class, ReconciliationActivityOptions.REPAIR);
  private final EscalationActivities escalation =
      Workflow.newActivityStub(EscalationActivities.class, ReconciliationActivityOptions.ESCALATE);

  private String phase = "STARTING";
  private long runId;
  private List<String> tables = List.of();
  private int tableIndex;
  private String afterKey;
  private ReconciliationCounts counts = ReconciliationCounts.ZERO;
  private int segment;
  private final List<Finding> pending = new ArrayList<>();
  private final Map<String, Integer> missingPerTable = new HashMap<>();
  private final Map<String, String> backfillIds = new HashMap<>();
  private String tenantId;
  private long oldestPendingAt;

  public ReconciliationWorkflowImpl(ReconciliationPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  @Override
  public ReconciliationSummary reconcile(ReconciliationRequest input) {
    ReconciliationRequest given = input == null ? ReconciliationRequest.all() : input;
    Settings settings = Workflow.sideEffect(Settings.class, () -> new Settings(given.withDefaults(policy),
        policy.pagesPerActivity(), policy.maxPendingCandidates()));
    ReconciliationRequest request = settings.request();
    tenantId = request.tenantId();
    Instant startedAt = begin(request);

    int pagesThisRun = 0;
    while (tableIndex < tables.size()) {
      phase = "COMPARING";
      int maxPages = Math.max(1, Math.min(settings.pagesPerActivity(), request.maxPagesPerRun() - pagesThisRun));
      ComparisonResult result = comparison.compare(new ComparisonRequest(tables.get(tableIndex), request.tenantId(),
          afterKey, request.pageSize(), maxPages, Math.max(1, settings.maxPendingCandidates() - pending.size())));
      counts = counts.scanned(result);
      pagesThisRun += result.pages();
      collect(result.candidates());
      if (result.done()) {
        tableIndex++;
        afterKey = null;
      } else {
        afterKey = result.nextKey();
      }
      if (pending.size() >= settings.maxPendingCandidates()) {
        settle(request);
      }
      if (tableIndex < tables.size()
          && (pagesThisRun >= request.maxPagesPerRun() || Workflow.getInfo().isContinueAsNewSuggested())) {
        settle(request);
        Workflow.await(Workflow::isEveryHandlerFinished);
        log.info("reconciliation run {} continues as new at table {} after key {} ({} pages in this run)", runId,
            tables.get(tableIndex), afterKey, pagesThisRun);
        Workflow.continueAsNew(request.continueAt(new ReconciliationContinuation(runId, tables, tableIndex, afterKey,
            counts, segment + 1, startedAt)));
      }
    }
    settle(request);
    phase = "DONE";
    ReconciliationSummary summary = new ReconciliationSummary(runId, tables, request.tenantId(), counts, segment + 1,
        startedAt, now());
    bookkeeping.finishRun(runId, summary);
    Workflow.setCurrentDetails(describe(summary));
    return summary;
  }

  @Override
  public ReconciliationProgress progress() {
    return new ReconciliationProgress(phase, runId, tables, tableIndex, afterKey, pending.size(), counts, segment);
  }

  /** Records the run (first segment) or restores where the previous segment stopped; returns the run's start. */
  private Instant begin(ReconciliationRequest request) {
    ReconciliationContinuation continuation = request.continuation();
    if (continuation != null) {
      runId = continuation.runId();
      tables = continuation.tables();
      tableIndex = continuation.tableIndex();
      afterKey = continuation.afterKey();
      counts = continuation.counts() == null ? ReconciliationCounts.ZERO : continuation.counts();
      segment = continuation.segment();
      return continuation.startedAt();
    }
    Instant startedAt = now();
    WorkflowInfo info = Workflow.getInfo();
    ReconciliationRun run = bookkeeping.beginRun(info.getWorkflowId(), info.getFirstExecutionRunId(),
        request.tables(), request.tenantId());
    runId = run.runId();
    tables = run.tables();
    log.info("reconciliation run {}: tables {}, tenant {}", runId, tables, request.tenantId());
    return startedAt;
  }

  private void collect(List<Finding> candidates) {
    if (candidates.isEmpty()) {
      return;
    }
    if (pending.isEmpty()) {
      oldestPendingAt = Workflow.currentTimeMillis();
    }
    pending.addAll(candidates);
  }

  /**
   * Confirms the pending candidates once the oldest is {@code grace} old, then repairs, escalates and records what
   * is confirmed.
   */
  private void settle(ReconciliationRequest request) {
    if (pending.isEmpty()) {
      return;
    }
    phase = "GRACE";
    Duration left = request.grace().minusMillis(Workflow.currentTimeMillis() - oldestPendingAt);
    if (!left.isNegative() && !left.isZero()) {
      Workflow.sleep(left);
    }
    List<Finding> batch = List.copyOf(pending);
    pending.clear();
    for (int from = 0; from < batch.size(); from += RECHECK_BATCH) {
      phase = "CONFIRMING";
      List<Finding> chunk = batch.subList(from, Math.min(batch.size(), from + RECHECK_BATCH));
      RecheckResult result = recheck.recheck(chunk);
      counts = counts.inFlight(result.inFlight());
      if (result.inFlight() > 0) {
        log.info("{} of {} candidates changed during the grace period (syncs in flight): not reported",
            result.inFlight(), chunk.size());
      }
      if (!result.confirmed().isEmpty()) {
        phase = "REPAIRING";
        act(request.repair(), result);
      }
    }
    phase = "COMPARING";
  }

  /**
   * Candidates per {@code recheck} call: its result carries the differing values (and both sides of conflicts), so
   * a bounded batch keeps each payload far below Temporal's limits; each batch is its own snapshot and position.
   */
  private static final int RECHECK_BATCH = 50;

  private void act(RepairPolicy policy, RecheckResult result) {
    Instant now = now();
    String workflowId = Workflow.getInfo().getWorkflowId();
    List<Finding> confirmed = result.confirmed();
    List<FindingAction> actions = new ArrayList<>();
    List<String> workflowIds = new ArrayList<>();
    List<ChangeEvent> events = new ArrayList<>();
    List<Integer> repaired = new ArrayList<>();
    List<Promise<Void>> escalations = new ArrayList<>();
    List<Integer> escalated = new ArrayList<>();
    for (int i = 0; i < confirmed.size(); i++) {
      Finding finding = confirmed.get(i);
      FindingAction action = policy.actionFor(finding);
      actions.add(action);
      workflowIds.add(null);
      if (action == FindingAction.REPAIR_STARTED && finding.type() == FindingType.MISSING_IN_NEO4J
          && backfillsMissing(finding.table())) {
        actions.set(i, FindingAction.BACKFILL_STARTED);
        workflowIds.set(i, backfillIds.get(finding.table()));
        continue;
      }
      if (action == FindingAction.REPAIR_STARTED) {
        events.add(Repairs.eventFor(finding, result.position(), "reconciliation/" + runId, now));
        repaired.add(i);
      } else if (action == FindingAction.ESCALATED) {
        escalations.add(Async.procedure(escalation::escalate, Repairs.conflictOf(finding, now, workflowId)));
        escalated.add(i);
      }
    }
    if (!events.isEmpty()) {
      try {
        List<String> started = repairs.startRepairs(events);
        for (int j = 0; j < repaired.size(); j++) {
          workflowIds.set(repaired.get(j), started.get(j));
        }
      } catch (ActivityFailure failure) {
        log.warn("starting {} repairs failed, recorded as reported: {}", events.size(), describe(failure));
        repaired.forEach(i -> actions.set(i, FindingAction.REPORTED));
      }
    }
    for (int j = 0; j < escalated.size(); j++) {
      int i = escalated.get(j);
      try {
        escalations.get(j).get();
        workflowIds.set(i, Repairs.conflictOf(confirmed.get(i), now, workflowId).workflowId());
      } catch (ActivityFailure failure) {
        log.warn("escalating {} {} failed, recorded as reported: {}", confirmed.get(i).entityType(),
            confirmed.get(i).entityId(), describe(failure));
        actions.set(i, FindingAction.REPORTED);
      }
    }
    List<RecordedFinding> recorded = new ArrayList<>();
    for (int i = 0; i < confirmed.size(); i++) {
      FindingAction action = actions.get(i);
      recorded.add(new RecordedFinding(confirmed.get(i), action, workflowIds.get(i),
          action == FindingAction.REPAIR_STARTED ? result.position() : null));
      counts = counts.confirmed(confirmed.get(i).type(), action);
    }
    for (int from = 0; from < recorded.size(); from += RECORD_BATCH) {
      bookkeeping.recordFindings(runId, recorded.subList(from, Math.min(recorded.size(), from + RECORD_BATCH)));
    }
  }

  /**
   * Whether the missing rows of {@code table} go to a backfill instead of one repair each: from the
   * {@value #MISSING_FOR_BACKFILL}th missing row of the table in this run on (behind version
   * {@value #BACKFILL_MISSING} 1), one {@code BackfillWorkflow} of the table (and the run's tenant) is started, once;
   * a backfill of the same scope that is already running is used as it is.
   */
  private boolean backfillsMissing(String table) {
    int missing = missingPerTable.merge(table, 1, Integer::sum);
    if (backfillIds.containsKey(table)) {
      return true;
    }
    if (missing < MISSING_FOR_BACKFILL
        || Workflow.getVersion(BACKFILL_MISSING, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return false;
    }
    BackfillRequest backfill = new BackfillRequest(List.of(table), tenantId, null, null, null, null);
    String id = "backfill/" + table + (tenantId == null ? "" : "/tenant/" + tenantId);
    BackfillWorkflow child = Workflow.newChildWorkflowStub(BackfillWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(id)
        .setTaskQueue(BackfillWorkflow.TASK_QUEUE)
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setStaticSummary("Backfill " + table + (tenantId == null ? "" : " (tenant " + tenantId + ")")
            + ": many rows missing in the graph (reconciliation run " + runId + ")")
        .build());
    Async.function(child::backfill, backfill);
    try {
      Workflow.getWorkflowExecution(child).get();
      log.info("reconciliation run {}: {} rows of {} missing in the graph so far: backfill {} loads the table", runId,
          missing, table, id);
    } catch (ChildWorkflowFailure alreadyRunning) {
      log.info("reconciliation run {}: backfill {} already runs; the missing rows of {} are left to it", runId, id,
          table);
    }
    backfillIds.put(table, id);
    return true;
  }

  /** Missing rows of one table in one run from which on a backfill loads them. */
  static final int MISSING_FOR_BACKFILL = 100;

  /** The change id of handing many missing rows to a backfill, for {@link Workflow#getVersion}. */
  static final String BACKFILL_MISSING = "backfill-missing";

  /** Findings per {@code recordFindings} call: keeps each payload far below Temporal's limits. */
  private static final int RECORD_BATCH = 50;

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  private static String describe(ReconciliationSummary summary) {
    ReconciliationCounts c = summary.counts();
    return "run " + summary.runId() + ": " + c.rows() + " rows / " + c.nodes() + " graph elements compared in "
        + summary.tables() + "; " + c.findings() + " findings (missing " + c.missing() + ", orphans " + c.orphans()
        + ", stale " + c.stale() + ", attributes " + c.attributes() + ", relationships " + c.relationships()
        + "); " + c.repairsStarted() + " repairs started, " + c.escalated() + " escalated, " + c.reported()
        + " only reported; " + c.inFlight() + " in flight, not reported";
  }

  private static String describe(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure application) {
      return application.getType() + ": " + application.getOriginalMessage();
    }
    return cause == null ? failure.getMessage() : cause.getMessage();
  }
}
