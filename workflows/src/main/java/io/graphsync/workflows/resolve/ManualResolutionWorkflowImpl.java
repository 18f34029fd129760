package io.graphsync.workflows.resolve;

import io.graphsync.workflows.backflow.GraphStampActivities;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.graphsync.workflows.sync.GraphWriteActivities;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Waits for a person's decision about one entity's conflict, then applies it and records it.
 *
 * <p>Signals only change state; the workflow method acts. {@link #report} replaces the conflict's sides and bumps the
 * revision only when they changed (signal-with-start delivers the first finding as a report too, which is therefore a
 * no-op). {@link #approve} is validated here, whatever sent it (Web UI, CLI, REST): a malformed approval, one for an
 * older revision, or one that arrives while another is being applied is rejected visibly — in the query's
 * {@code rejectedApprovals}, in the Web UI's current details, and in a WARN log — and the workflow keeps waiting.
 *
 * <p>A valid approval: KEEP_POSTGRES builds a RECONCILIATION change at PostgreSQL's current WAL position and applies it
 * with the sync's own {@code applyToGraph} (so it shows in the history as that activity, guarded like every sync);
 * KEEP_NEO4J updates the row from the node under an optimistic lock on {@code pg_version} (a moved version rejects the
 * approval and the workflow waits on); DISMISS changes nothing. Each accepted decision is audited in PostgreSQL. An
 * activity that still fails after its bounded retries rejects the approval visibly too: a person can send it again.
 *
 * <p>The reminder: after {@link ResolutionPolicy#remindAfter()} the conflict becomes OVERDUE (search attribute
 * {@code ConflictStatus}). The policy is part of the workflow's input (the escalation passes the worker's), so a
 * worker restarted with another policy replays running conflicts exactly, and a run hands it to the next. The workflow
 * continues as new, carrying its {@link ConflictState}, when Temporal suggests it or after
 * {@link ResolutionPolicy#signalsPerRun()} signals, once every handler has finished.
 *
 * <p>The state is made in the {@code @WorkflowInit} constructor, from the input, so a signal that arrives with the
 * start (signal-with-start delivers the first finding as a report) finds it. Runs started before the policy was part
 * of the input (it is null there) recorded the worker's policy with {@code sideEffect} at the start of the workflow
 * method, and still do, so their histories replay.
 *
 * <p>A node the back-flow held for this conflict ({@code MANUAL}: PostgreSQL changes of it are not written to the
 * graph meanwhile) is released before a decision writes ({@link #RELEASE_HOLD}), so the decision's own writes reach
 * the graph; a decision that is not carried out (rejected, failed) holds it again.
 */
public class ManualResolutionWorkflowImpl implements ManualResolutionWorkflow {

  /**
   * The change id of releasing the back-flow's hold of the node before a decision is applied (and holding it again
   * when the decision is not carried out), for {@link Workflow#getVersion}.
   */
  static final String RELEASE_HOLD = "release-backflow-hold";

  private static final Logger log = Workflow.getLogger(ManualResolutionWorkflowImpl.class);

  private final ResolutionActivities resolution;
  private final GraphWriteActivities graph;
  /** From the input; for a run whose input had none, what its start recorded (defaults before that). */
  private ResolutionPolicy policy;
  private final boolean policyFromInput;
  private final boolean firstRun;
  private final GraphStampActivities stamp;

  private ConflictState state;
  /** A valid approval the workflow method has not acted on yet. */
  private Approval accepted;
  private int signalsThisRun;

  /**
   * @param conflict the first finding
   * @param continued the previous run's state, or null
   * @param policy the reminder and run length; null in runs started before it was part of the input
   */
  @WorkflowInit
  public ManualResolutionWorkflowImpl(Conflict conflict, ConflictState continued, ResolutionPolicy policy) {
    this.resolution = Workflow.newActivityStub(ResolutionActivities.class, ResolutionActivityOptions.STORE_WRITE);
    this.graph = Workflow.newActivityStub(GraphWriteActivities.class, ResolutionActivityOptions.STORE_WRITE);
    this.stamp = Workflow.newActivityStub(GraphStampActivities.class, ResolutionActivityOptions.STORE_WRITE);
    this.policyFromInput = policy != null;
    this.policy = policy != null ? policy : ResolutionPolicy.DEFAULT;
    this.firstRun = continued == null;
    Instant now = now();
    if (continued != null) {
      state = continued.waiting() ? continued : continued.waitingAgain(
          now.isBefore(continued.overdueAt()) ? ConflictStatus.OPEN : ConflictStatus.OVERDUE);
    } else {
      state = ConflictState.opened(Objects.requireNonNull(conflict, "conflict"), now,
          now.plus(this.policy.remindAfter()));
    }
  }

  @Override
  public ResolutionOutcome resolve(Conflict conflict, ConflictState continued, ResolutionPolicy input) {
    if (!policyFromInput) {
      recordWorkersPolicy();
    }
    publishAttributes();
    showDetails();
    while (true) {
      if (accepted == null && !continueAsNewDue()) {
        boolean signalled;
        Duration untilOverdue = Duration.between(now(), state.overdueAt());
        if (state.status() == ConflictStatus.OPEN && !untilOverdue.isNegative() && !untilOverdue.isZero()) {
          signalled = Workflow.await(untilOverdue, () -> accepted != null || continueAsNewDue());
        } else if (state.status() == ConflictStatus.OPEN) {
          signalled = false;
        } else {
          Workflow.await(() -> accepted != null || continueAsNewDue());
          signalled = true;
        }
        if (!signalled) {
          markOverdue();
          continue;
        }
      }
      if (accepted != null) {
        Approval approval = accepted;
        accepted = null;
        ResolutionOutcome outcome = apply(approval);
        if (outcome != null) {
          return outcome;
        }
        continue;
      }
      Workflow.await(Workflow::isEveryHandlerFinished);
      if (accepted == null) {
        log.info("conflict {} continues as new at revision {} ({} signals in this run)", workflowId(),
            state.revision(), signalsThisRun);
        Workflow.continueAsNew(state.conflict(), state, policy);
      }
    }
  }

  /**
   * A run whose input has no policy: the history holds the worker's policy as that run's start recorded it (the
   * {@code sideEffect}s of the code before the policy became input, in the same order), and the reminder is set from
   * it. The default policy is only ever used if such a run were started anew, which no current starter does.
   */
  private void recordWorkersPolicy() {
    int signalsPerRun = Workflow.sideEffect(Integer.class, ResolutionPolicy.DEFAULT::signalsPerRun);
    Duration remindAfter = policy.remindAfter();
    if (firstRun) {
      remindAfter = Duration.ofMillis(
          Workflow.sideEffect(Long.class, () -> ResolutionPolicy.DEFAULT.remindAfter().toMillis()));
      state = state.remindAt(state.openedAt().plus(remindAfter));
    }
    policy = new ResolutionPolicy(remindAfter, signalsPerRun);
  }

  @Override
  public void report(Conflict conflict) {
    signalsThisRun++;
    onReport(conflict);
    showDetails();
  }

  @Override
  public void approve(Approval approval) {
    signalsThisRun++;
    onApprove(approval);
    showDetails();
  }

  @Override
  public ConflictState conflict() {
    return state;
  }

  private void onReport(Conflict conflict) {
    Conflict current = state.conflict();
    if (conflict == null || !Objects.equals(conflict.entityType(), current.entityType())
        || !Objects.equals(conflict.entityId(), current.entityId())) {
      log.warn("report ignored: it is not about {} {}: {}", current.entityType(), current.entityId(), conflict);
      return;
    }
    if (!state.waiting()) {
      log.info("report of {} ignored: the conflict is {}", workflowId(), state.status());
      return;
    }
    boolean changed = !current.sameFindingAs(conflict);
    state = state.reported(conflict, changed);
    if (changed) {
      log.info("conflict {} reported again with different values: revision {}", workflowId(), state.revision());
    }
  }

  private void onApprove(Approval approval) {
    String problem = approval == null ? "no approval (the signal had no input)" : approval.malformation();
    if (problem == null && approval.revision() != null && approval.revision() != state.revision()) {
      problem = "stale: it approves revision " + approval.revision() + ", but the conflict is at revision "
          + state.revision() + " (reported again with different values since); query `conflict` and approve the "
          + "current revision";
    }
    if (problem == null && state.status() == ConflictStatus.RESOLVED) {
      problem = "the conflict is already resolved (" + state.decision().resolution() + " by " + state.decision().by()
          + ")";
    }
    if (problem == null && (state.status() == ConflictStatus.APPLYING || accepted != null)) {
      Approval first = accepted != null ? accepted : state.decision();
      problem = "another decision is being applied (" + first.resolution() + " by " + first.by() + ")";
    }
    if (problem != null) {
      reject(approval, problem);
      return;
    }
    accepted = approval;
  }

  /** Applies a valid approval; null when it could not be applied (rejected, the workflow waits on). */
  private ResolutionOutcome apply(Approval approval) {
    ConflictStatus waitingStatus = state.status();
    state = state.applying(approval);
    Workflow.setCurrentDetails("APPLYING " + approval.resolution() + " by " + approval.by() + " (revision "
        + state.revision() + ")");
    WorkflowInfo info = Workflow.getInfo();
    ConflictDecision decision = new ConflictDecision(info.getWorkflowId(), info.getFirstExecutionRunId(),
        state.conflict(), state.revision(), approval, false, null, now());
    boolean releases = Workflow.getVersion(RELEASE_HOLD, Workflow.DEFAULT_VERSION, 1) == 1;
    boolean wasHeld = false;
    try {
      if (releases) {
        wasHeld = stamp.releaseHold(state.conflict());
      }
      switch (approval.resolution()) {
        case KEEP_POSTGRES -> {
          ChangeEvent event = resolution.rewriteEventFromPostgres(state.conflict());
          GraphApplyResult result = graph.applyToGraph(event);
          decision = decision.withResult(result.applied(), describe(event, result));
          resolution.recordConflictDecision(decision);
        }
        case KEEP_NEO4J -> {
          RowUpdateResult result = resolution.keepNeo4jValues(decision);
          if (result.rejection() != null) {
            holdAgain(wasHeld);
            state = state.waitingAgain(waitingStatus);
            reject(approval, "not applied: " + result.rejection());
            showDetails();
            return null;
          }
          decision = decision.withResult(result.applied(), result.detail());
        }
        case DISMISS -> {
          decision = decision.withResult(false, "dismissed: nothing changed");
          resolution.recordConflictDecision(decision);
        }
        default -> throw new IllegalStateException("unknown resolution " + approval.resolution());
      }
    } catch (ActivityFailure failure) {
      holdAgain(wasHeld);
      state = state.waitingAgain(waitingStatus);
      reject(approval, "could not be applied: " + describe(failure) + "; send the approval again, or choose "
          + "another resolution");
      showDetails();
      return null;
    }
    ResolutionOutcome outcome =
        new ResolutionOutcome(approval.resolution(), approval.by(), decision.applied(), decision.detail());
    state = state.resolved(outcome);
    Workflow.upsertTypedSearchAttributes(
        SyncSearchAttributes.CONFLICT_STATUS.valueSet(ConflictStatus.RESOLVED.name()));
    Workflow.setCurrentDetails("RESOLVED: " + approval.resolution() + " by " + approval.by()
        + (approval.comment() == null ? "" : " (\"" + approval.comment() + "\")") + "\n\n" + outcome.detail());
    log.info("conflict {} resolved at revision {}: {} by {}: {}", workflowId(), state.revision(),
        approval.resolution(), approval.by(), outcome.detail());
    return outcome;
  }

  /** Holds the node again for a decision that was not carried out, when the release found it held. */
  private void holdAgain(boolean wasHeld) {
    if (!wasHeld) {
      return;
    }
    try {
      stamp.holdForDecision(state.conflict());
    } catch (ActivityFailure failure) {
      log.warn("conflict {}: the node could not be held again after the decision was not carried out: {}; "
          + "PostgreSQL changes of it reach the graph until the next decision", workflowId(), describe(failure));
    }
  }

  private void reject(Approval approval, String reason) {
    state = state.rejected(new RejectedApproval(approval, reason, state.revision(), now()));
    log.warn("approval of {} rejected: {} ({})", workflowId(), reason, approval);
  }

  private void markOverdue() {
    state = state.withStatus(ConflictStatus.OVERDUE);
    Workflow.upsertTypedSearchAttributes(
        SyncSearchAttributes.CONFLICT_STATUS.valueSet(ConflictStatus.OVERDUE.name()));
    showDetails();
    log.warn("conflict {} is OVERDUE: no decision since {}", workflowId(), state.openedAt());
  }

  private boolean continueAsNewDue() {
    return signalsThisRun >= policy.signalsPerRun() || Workflow.getInfo().isContinueAsNewSuggested();
  }

  /** The entity's attributes and the status, at the start of every run (also for runs not started by the starter). */
  private void publishAttributes() {
    Conflict conflict = state.conflict();
    List<SearchAttributeUpdate<?>> updates = new ArrayList<>();
    updates.add(SyncSearchAttributes.ENTITY_TYPE.valueSet(conflict.entityType()));
    updates.add(SyncSearchAttributes.ENTITY_ID.valueSet(conflict.entityId()));
    if (conflict.tenantId() != null) {
      updates.add(SyncSearchAttributes.TENANT_ID.valueSet(conflict.tenantId()));
    }
    updates.add(SyncSearchAttributes.CONFLICT_STATUS.valueSet(state.status().name()));
    Workflow.upsertTypedSearchAttributes(updates.toArray(SearchAttributeUpdate<?>[]::new));
  }

  /** The Web UI's "Current Details": what differs, and how to decide. */
  private void showDetails() {
    Conflict conflict = state.conflict();
    StringBuilder details = new StringBuilder()
        .append(state.status()).append(" since ").append(state.openedAt())
        .append(" (revision ").append(state.revision()).append("): ")
        .append(conflict.entityType()).append(' ').append(conflict.entityId())
        .append(", ").append(conflict.kind()).append('\n');
    if (conflict.differences() != null) {
      for (PropertyDifference difference : conflict.differences()) {
        details.append("\n- `").append(difference.property()).append("`: PostgreSQL ")
            .append(difference.postgres()).append(" / Neo4j ").append(difference.neo4j());
      }
    }
    if (state.waiting()) {
      details.append("\n\nSend signal `approve` with {\"resolution\":\"KEEP_POSTGRES|KEEP_NEO4J|DISMISS\",")
          .append("\"by\":\"<you>\",\"comment\":\"<why>\",\"revision\":").append(state.revision()).append('}');
      if (state.status() == ConflictStatus.OPEN) {
        details.append("\nOVERDUE at ").append(state.overdueAt());
      }
    }
    List<RejectedApproval> rejected = state.rejectedApprovals();
    if (!rejected.isEmpty()) {
      details.append("\n\nLast rejected approval: ").append(rejected.get(rejected.size() - 1).reason());
    }
    Workflow.setCurrentDetails(details.toString());
  }

  private static String describe(ChangeEvent event, GraphApplyResult result) {
    if (event.eventType() == EventType.DELETE) {
      return result.applied() ? "the row is gone: node deleted from the graph (position " + event.position() + ")"
          : "the row is gone, and so is the node";
    }
    return result.applied()
        ? "node rewritten from the row at pg_version " + event.version() + " (position " + event.position() + ")"
        : "node not rewritten: the graph already holds a newer change of the row";
  }

  private static String describe(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure application) {
      return application.getType() + ": " + application.getOriginalMessage();
    }
    return cause == null ? failure.getMessage() : cause.getMessage();
  }

  private String workflowId() {
    return Workflow.getInfo().getWorkflowId();
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
