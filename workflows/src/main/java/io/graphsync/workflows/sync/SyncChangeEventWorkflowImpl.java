package io.graphsync.workflows.sync;

import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.backflow.GraphStampActivities;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Applies the change to the graph, then marks the source row. On the happy path: two activities, no timers, no
 * extra workflow tasks. The {@code SyncStatus} search attribute is set to RUNNING by the starter and kept current
 * here (SUCCESS, FAILED, RETRYING, SKIPPED).
 *
 * <p>The failure path (behind version {@value #OPERATOR_DECISION} 1; histories from before it fail the workflow
 * right after recording FAILED): the row is marked FAILED and the workflow waits for {@link #retry()} or
 * {@link #skip(String)} until the policy's decision timeout, checking now and then whether a newer change of the
 * entity has reached the graph (then nothing is left to decide: it closes as SKIPPED).
 *
 * <p>The {@link SyncPolicy} comes from the worker at construction (worker-app: {@code graphsync.sync.*}); a sync that
 * waits as FAILED records the values it waits by in its history ({@link #CAPTURED_POLICY}).
 */
public class SyncChangeEventWorkflowImpl implements SyncChangeEventWorkflow {

  /** The change id of the operator-decision failure path, for {@link Workflow#getVersion}. */
  static final String OPERATOR_DECISION = "operator-decision";

  /**
   * The change id of the waiting policy recorded in the history ({@link Workflow#sideEffect}) when a sync first
   * waits as FAILED: the decision timeout and the superseded checks of a waiting sync are then what they were when it
   * started to wait, whatever the worker's configuration says when the history is replayed.
   */
  static final String CAPTURED_POLICY = "captured-policy";

  /**
   * The change id of the back-flow echo, for {@link Workflow#getVersion}: a change with {@code source = NEO4J} (the
   * capture saw the back-flow's own write) only stamps the graph. Asked only for such changes, which no earlier
   * history has.
   */
  static final String BACKFLOW_ECHO = "backflow-echo";

  /**
   * The change id of showing why a change was deliberately not written (its node is held for an open manual conflict
   * of the back-flow), for {@link Workflow#getVersion}: the detail goes to the current details and the result. Asked
   * only when the activity returns such a detail, which no earlier history has.
   */
  static final String HELD_DETAIL = "held-detail";

  private static final Logger log = Workflow.getLogger(SyncChangeEventWorkflowImpl.class);

  private final SyncPolicy policy;
  private final GraphWriteActivities graph;
  private final SyncStatusActivities status;
  private final GraphReadActivities graphRead;
  private final GraphStampActivities stamp;

  private SyncState state = SyncState.running();
  private Decision requested;
  private SyncPolicy waitingPolicy;

  /** What an operator (or the superseded check, or the timeout) decided about a FAILED sync. */
  private record Decision(Kind kind, String detail) {
    enum Kind { RETRY, SKIP, SUPERSEDED, TIMEOUT }
  }

  public SyncChangeEventWorkflowImpl(SyncPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.graph = Workflow.newActivityStub(GraphWriteActivities.class, SyncActivityOptions.graphWrite(policy));
    this.status = Workflow.newActivityStub(SyncStatusActivities.class, SyncActivityOptions.statusWrite(policy));
    this.graphRead = Workflow.newActivityStub(GraphReadActivities.class, SyncActivityOptions.GRAPH_READ);
    this.stamp = Workflow.newActivityStub(GraphStampActivities.class, SyncActivityOptions.graphWrite(policy));
  }

  @Override
  public SyncOutcome sync(ChangeEvent event) {
    ChangeEvent toApply = event;
    int previousAttempts = 0;
    boolean echo = event.source() == EventSource.NEO4J
        && Workflow.getVersion(BACKFLOW_ECHO, Workflow.DEFAULT_VERSION, 1) == 1;
    while (true) {
      GraphApplyResult result;
      try {
        result = echo ? stamp.stampFromPostgres(toApply) : graph.applyToGraph(toApply);
      } catch (ActivityFailure failure) {
        int attempts = previousAttempts + attempts(failure);
        String error = describe(failure);
        log.warn("sync of {} {} at position {} failed after {} attempt(s): {}", event.entityType(),
            event.entityId(), event.position(), attempts, error);
        record(event, SyncStatus.FAILED, attempts, error, null);
        Workflow.upsertTypedSearchAttributes(SyncSearchAttributes.SYNC_STATUS.valueSet(SyncStatus.FAILED.name()));
        if (Workflow.getVersion(OPERATOR_DECISION, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
          throw failure;
        }
        SyncPolicy waiting = waitingPolicy();
        Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
        state = state.failed(attempts, error, now, now.plus(waiting.decisionTimeout()));
        Workflow.setCurrentDetails("FAILED after " + attempts + " attempt(s): " + error
            + "\n\nSend signal `retry` (re-reads the row) or `skip` with a reason. Waiting until "
            + state.decisionDeadline() + ".");
        Decision decision = awaitDecision(event, waiting);
        switch (decision.kind()) {
          case RETRY -> {
            state = state.retrying();
            Workflow.setCurrentDetails("RETRYING (operator retry " + state.operatorRetries() + ")");
            Workflow.upsertTypedSearchAttributes(
                SyncSearchAttributes.SYNC_STATUS.valueSet(SyncStatus.RETRYING.name()));
            record(event, SyncStatus.RETRYING, attempts, error, null);
            previousAttempts = attempts;
            toApply = event.withDataFromSource();
            continue;
          }
          case SKIP, SUPERSEDED -> {
            return skipped(event, attempts, decision);
          }
          default -> {
            Workflow.setCurrentDetails("FAILED; no operator decision before " + state.decisionDeadline()
                + ": reconciliation owns the row");
            throw ApplicationFailure.newNonRetryableFailureWithCause("no retry or skip within "
                + waiting.decisionTimeout() + " after: " + error + "; reconciliation owns the row",
                FailureType.DECISION_TIMEOUT.type(), failure);
          }
        }
      }
      int attempts = previousAttempts + result.attempt();
      boolean recorded = record(event, SyncStatus.SUCCESS, attempts, null, result.nodeId());
      Workflow.upsertTypedSearchAttributes(SyncSearchAttributes.SYNC_STATUS.valueSet(SyncStatus.SUCCESS.name()));
      state = state.finished(SyncStatus.SUCCESS, attempts, null);
      if (previousAttempts > 0) {
        Workflow.setCurrentDetails("SUCCESS after operator retry " + state.operatorRetries());
      }
      String detail = null;
      if (result.detail() != null && Workflow.getVersion(HELD_DETAIL, Workflow.DEFAULT_VERSION, 1) == 1) {
        detail = result.detail();
        Workflow.setCurrentDetails("SUCCESS, not written to the graph: " + detail);
        log.info("{} {} at position {} not written to the graph: {}", event.entityType(), event.entityId(),
            event.position(), detail);
      }
      return new SyncOutcome(SyncStatus.SUCCESS, result.applied(), recorded, result.nodeId(), detail);
    }
  }

  @Override
  public void retry() {
    decide(new Decision(Decision.Kind.RETRY, null));
  }

  @Override
  public void skip(String reason) {
    String detail = reason == null || reason.isBlank() ? "skipped by an operator (no reason given)" : reason.strip();
    decide(new Decision(Decision.Kind.SKIP, detail));
  }

  @Override
  public SyncState state() {
    return state;
  }

  /** Signals only change state; the workflow method acts on them. Ignored unless the sync waits as FAILED. */
  private void decide(Decision decision) {
    if (state.status() != SyncStatus.FAILED || requested != null) {
      log.warn("signal {} ignored: the sync is {}{}", decision.kind(), state.status(),
          requested != null ? " and already has a decision (" + requested.kind() + ")" : "");
      return;
    }
    requested = decision;
  }

  /**
   * The policy a FAILED sync waits by: recorded in the history the first time (later waits of the same run reuse
   * it), so a worker restarted with other {@code graphsync.sync.*} values replays the wait exactly. Histories from
   * before {@link #CAPTURED_POLICY} read the worker's policy, as they did.
   */
  private SyncPolicy waitingPolicy() {
    if (waitingPolicy == null) {
      waitingPolicy = Workflow.getVersion(CAPTURED_POLICY, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION
          ? policy : Workflow.sideEffect(SyncPolicy.class, () -> policy);
    }
    return waitingPolicy;
  }

  /** Waits for an operator until the deadline, checking with growing intervals whether a newer change won. */
  private Decision awaitDecision(ChangeEvent event, SyncPolicy waiting) {
    long deadline = state.decisionDeadline().toEpochMilli();
    Duration check = waiting.supersededCheck();
    while (true) {
      long left = deadline - Workflow.currentTimeMillis();
      if (left <= 0) {
        return new Decision(Decision.Kind.TIMEOUT, null);
      }
      Duration wait = Duration.ofMillis(Math.min(check.toMillis(), left));
      if (Workflow.await(wait, () -> requested != null)) {
        Decision decision = requested;
        requested = null;
        return decision;
      }
      Long applied = appliedPosition(event);
      if (applied != null && applied > event.position()) {
        return new Decision(Decision.Kind.SUPERSEDED,
            "superseded: the graph holds a newer change of this entity (position " + applied + ")");
      }
      check = check.multipliedBy(2).compareTo(SyncPolicy.MAX_SUPERSEDED_CHECK) > 0
          ? SyncPolicy.MAX_SUPERSEDED_CHECK : check.multipliedBy(2);
    }
  }

  /** Null when the graph could not be read now (the next check comes anyway). */
  private Long appliedPosition(ChangeEvent event) {
    try {
      return graphRead.appliedPosition(event.table(), event.entityId());
    } catch (ActivityFailure failure) {
      log.warn("superseded check of {} failed: {}", event.workflowId(), describe(failure));
      return null;
    }
  }

  private SyncOutcome skipped(ChangeEvent event, int attempts, Decision decision) {
    // an operator's skip is recorded on the row; a superseded change leaves the row to the newer change's sync
    boolean recorded = decision.kind() == Decision.Kind.SKIP
        && record(event, SyncStatus.SKIPPED, attempts, decision.detail(), null);
    state = state.finished(SyncStatus.SKIPPED, attempts, decision.detail());
    Workflow.setCurrentDetails("SKIPPED: " + decision.detail());
    Workflow.upsertTypedSearchAttributes(SyncSearchAttributes.SYNC_STATUS.valueSet(SyncStatus.SKIPPED.name()));
    log.info("sync of {} {} at position {} skipped: {}", event.entityType(), event.entityId(), event.position(),
        decision.detail());
    return new SyncOutcome(SyncStatus.SKIPPED, false, recorded, null, decision.detail());
  }

  /** Marks the source row, when it has bookkeeping columns; false when it was not marked. */
  private boolean record(ChangeEvent event, SyncStatus outcome, int attempts, String error, String nodeId) {
    if (!tracksStatus(event)) {
      return false;
    }
    return status.recordSyncStatus(
        new SyncStatusUpdate(event.table(), event.entityId(), event.version(), outcome, attempts, error, nodeId));
  }

  /** Rows of entity tables carry the bookkeeping columns; a deleted row has nothing left to mark. */
  private static boolean tracksStatus(ChangeEvent event) {
    return event.version() != null && event.eventType() != EventType.DELETE;
  }

  private int attempts(ActivityFailure failure) {
    return failure.getRetryState() == RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED
        ? SyncActivityOptions.maxAttempts(policy)
        : 1;
  }

  private static String describe(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure application) {
      return application.getType() + ": " + application.getOriginalMessage();
    }
    return cause == null ? failure.getMessage() : cause.getMessage();
  }
}
