package io.graphsync.workflows.backflow;

import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.EscalationActivities;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.GraphWriteActivities;
import io.graphsync.workflows.sync.SyncActivityOptions;
import io.graphsync.workflows.sync.SyncPolicy;
import io.graphsync.workflows.sync.SyncState;
import io.graphsync.workflows.sync.SyncStatus;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Writes the row, then acts on the outcome: stamps the element with the row's version (written, unchanged, Neo4j won),
 * rewrites the element from the row with the sync's own {@code applyToGraph} (PostgreSQL won), or escalates the
 * conflict to the entity's {@code ManualResolutionWorkflow} (MANUAL). In every case but a failure the element is
 * marked as handled up to its version, so the poller does not find the change again.
 *
 * <p>MANUAL holds the node first ({@link #MANUAL_HOLD}): a waiting PostgreSQL-side change of it then finishes without
 * overwriting the graph edit, which survives until a person decides; the decision releases the hold.
 *
 * <p>The {@link SyncPolicy} (retry window, decision timeout) is the PostgreSQL-side syncs' one, from the worker.
 */
public class Neo4jToPostgresSyncWorkflowImpl implements Neo4jToPostgresSyncWorkflow {

  /**
   * The change id of the MANUAL hold, for {@link Workflow#getVersion}: before the conflict is escalated, the node is
   * held ({@code backflowHold}) until the decision, so the PostgreSQL change that waited for the back-flow does not
   * overwrite the graph edit once the element is marked as handled. Asked only on the MANUAL path.
   */
  static final String MANUAL_HOLD = "backflow-manual-hold";

  private static final Logger log = Workflow.getLogger(Neo4jToPostgresSyncWorkflowImpl.class);

  private final SyncPolicy policy;
  private final BackflowActivities backflow;
  private final GraphWriteActivities graph;
  private final EscalationActivities escalation;
  private final GraphStampActivities stamp;

  /** The conflict this run held the node for and has not escalated yet (a skip then releases the hold). */
  private Conflict heldNotEscalated;
  private SyncState state = SyncState.running();
  private String decision;
  private String skipReason;

  public Neo4jToPostgresSyncWorkflowImpl(SyncPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.backflow = Workflow.newActivityStub(BackflowActivities.class, SyncActivityOptions.graphWrite(policy));
    this.graph = Workflow.newActivityStub(GraphWriteActivities.class, SyncActivityOptions.graphWrite(policy));
    this.escalation = Workflow.newActivityStub(EscalationActivities.class, SyncActivityOptions.statusWrite(policy));
    this.stamp = Workflow.newActivityStub(GraphStampActivities.class, SyncActivityOptions.graphWrite(policy));
  }

  @Override
  public BackflowWrite sync(GraphChange change) {
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        BackflowWrite write = apply(change);
        state = state.finished(SyncStatus.SUCCESS, attempts, write.detail());
        Workflow.upsertTypedSearchAttributes(SyncSearchAttributes.SYNC_STATUS.valueSet(SyncStatus.SUCCESS.name()));
        Workflow.setCurrentDetails(write.outcome() + ": " + write.detail());
        return write;
      } catch (ActivityFailure failure) {
        String error = describe(failure);
        log.warn("back-flow of {} {} v{} failed: {}", change.caseName(), change.entityId(), change.neo4jVersion(),
            error);
        Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
        state = state.failed(attempts, error, now, now.plus(policy.decisionTimeout()));
        Workflow.upsertTypedSearchAttributes(SyncSearchAttributes.SYNC_STATUS.valueSet(SyncStatus.FAILED.name()));
        Workflow.setCurrentDetails("FAILED: " + error + "\n\nSend signal `retry` (reads the element and the row "
            + "again) or `skip` with a reason. Waiting until " + state.decisionDeadline() + ".");
        boolean decided = Workflow.await(policy.decisionTimeout(), () -> decision != null);
        if (!decided) {
          throw ApplicationFailure.newNonRetryableFailureWithCause("no retry or skip within "
              + policy.decisionTimeout() + " after: " + error, FailureType.DECISION_TIMEOUT.type(), failure);
        }
        if ("skip".equals(decision)) {
          if (heldNotEscalated != null) {
            // held, but no person was asked: nobody would release it
            stamp.releaseHold(heldNotEscalated);
            heldNotEscalated = null;
          }
          backflow.stampGraph(change, null);
          state = state.finished(SyncStatus.SKIPPED, attempts, skipReason);
          Workflow.upsertTypedSearchAttributes(SyncSearchAttributes.SYNC_STATUS.valueSet(SyncStatus.SKIPPED.name()));
          Workflow.setCurrentDetails("SKIPPED: " + skipReason);
          return new BackflowWrite(BackflowOutcome.NOTHING_TO_DO, null, null, "skipped: " + skipReason);
        }
        decision = null;
        state = state.retrying();
        Workflow.upsertTypedSearchAttributes(SyncSearchAttributes.SYNC_STATUS.valueSet(SyncStatus.RETRYING.name()));
      }
    }
  }

  private BackflowWrite apply(GraphChange change) {
    BackflowWrite written = backflow.writeToPostgres(change);
    BackflowWrite write = written;
    switch (write.outcome()) {
      case WRITTEN, UNCHANGED, NEO4J_WINS -> backflow.stampGraph(change, write.pgVersion());
      case POSTGRES_WINS -> {
        ChangeEvent rewrite = backflow.rewriteFromPostgres(change);
        graph.applyToGraph(rewrite);
        backflow.stampGraph(change, null);
      }
      case MANUAL -> {
        boolean hold = Workflow.getVersion(MANUAL_HOLD, Workflow.DEFAULT_VERSION, 1) == 1;
        if (hold) {
          // held before escalating: a decision, however quick, releases it afterwards
          stamp.holdForDecision(written.conflict());
          heldNotEscalated = written.conflict();
        }
        escalation.escalate(written.conflict());
        heldNotEscalated = null;
        backflow.stampGraph(change, null);
        if (hold) {
          write = new BackflowWrite(written.outcome(), written.pgVersion(), written.conflict(), written.detail()
              + "; the node is held (PostgreSQL changes of it are not written to the graph) until the decision of "
              + written.conflict().workflowId());
        }
      }
      default -> { } // NOTHING_TO_DO
    }
    log.info("back-flow of {} {} v{}: {} ({})", change.caseName(), change.entityId(), change.neo4jVersion(),
        write.outcome(), write.detail());
    return write;
  }

  @Override
  public void retry() {
    if (state.status() == SyncStatus.FAILED && decision == null) {
      decision = "retry";
    }
  }

  @Override
  public void skip(String reason) {
    if (state.status() == SyncStatus.FAILED && decision == null) {
      skipReason = reason == null || reason.isBlank() ? "skipped by an operator (no reason given)" : reason.strip();
      decision = "skip";
    }
  }

  @Override
  public SyncState state() {
    return state;
  }

  private static String describe(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure application) {
      return application.getType() + ": " + application.getOriginalMessage();
    }
    return cause == null ? failure.getMessage() : cause.getMessage();
  }
}
