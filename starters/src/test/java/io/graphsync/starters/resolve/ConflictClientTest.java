package io.graphsync.starters.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.testing.NoBackflowHolds;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.resolve.Approval;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.ConflictDecision;
import io.graphsync.workflows.resolve.ConflictState;
import io.graphsync.workflows.resolve.ConflictStatus;
import io.graphsync.workflows.resolve.ManualResolutionWorkflowImpl;
import io.graphsync.workflows.resolve.PropertyDifference;
import io.graphsync.workflows.resolve.Resolution;
import io.graphsync.workflows.resolve.ResolutionActivities;
import io.graphsync.workflows.resolve.ResolutionOutcome;
import io.graphsync.workflows.resolve.ResolutionPolicy;
import io.graphsync.workflows.resolve.RowUpdateResult;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.graphsync.workflows.sync.GraphWriteActivities;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The escalation and the REST API's client against Temporal's in-memory server, with the real workflow and recording
 * fakes of its activities.
 */
class ConflictClientTest {

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL = TestWorkflowExtension.newBuilder()
      .registerSearchAttribute("EntityType", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("EntityId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("TenantId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .registerSearchAttribute("ConflictStatus", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
      .setDoNotStart(true)
      .build();

  /** Records the decisions; KEEP_NEO4J always "applies". */
  static final class RecordingActivities implements ResolutionActivities, GraphWriteActivities {
    final List<ConflictDecision> decisions = new CopyOnWriteArrayList<>();

    @Override
    public ChangeEvent rewriteEventFromPostgres(Conflict conflict) {
      throw new UnsupportedOperationException("not in these tests");
    }

    @Override
    public RowUpdateResult keepNeo4jValues(ConflictDecision decision) {
      decisions.add(decision);
      return new RowUpdateResult(true, null, 4L, "row updated");
    }

    @Override
    public void recordConflictDecision(ConflictDecision decision) {
      decisions.add(decision);
    }

    @Override
    public GraphApplyResult applyToGraph(ChangeEvent event) {
      throw new UnsupportedOperationException("not in these tests");
    }
  }

  private final RecordingActivities activities = new RecordingActivities();

  static Conflict conflict(String neo4jName) {
    return new Conflict("concepts", "Concept", "c-1", "t-1", Conflict.SAME_VERSION_DIFFERENT_CONTENT, 3L, 1L,
        Map.of("name", "graphs"), Map.of("name", neo4jName), List.of(new PropertyDifference("name", "graphs",
        neo4jName)), Instant.parse("2026-11-25T10:00:00Z"), "reconcile/1");
  }

  private EscalationActivitiesImpl start(TestWorkflowEnvironment env, Worker worker) {
    worker.registerWorkflowImplementationTypes(ManualResolutionWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities, new NoBackflowHolds());
    env.start();
    return new EscalationActivitiesImpl(env.getWorkflowClient(), worker.getTaskQueue(), ResolutionPolicy.DEFAULT);
  }

  private static ConflictState awaitState(ConflictClient conflicts, java.util.function.Predicate<ConflictState> ok,
      TestWorkflowEnvironment env) {
    long until = System.currentTimeMillis() + 10_000;
    while (true) {
      ConflictState state = conflicts.show("Concept", "c-1").orElse(null);
      if (state != null && ok.test(state)) {
        return state;
      }
      assertThat(System.currentTimeMillis()).as("state reached: " + state).isLessThan(until);
      env.sleep(Duration.ofMillis(50));
    }
  }

  @Test
  void givenTheSameConflictEscalatedTwice_whenStarted_itIsOneWorkflowAtRevisionOneWithSearchAttributes(
      TestWorkflowEnvironment env, Worker worker) {
    EscalationActivitiesImpl escalation = start(env, worker);
    ConflictClient conflicts = new ConflictClient(env.getWorkflowClient());

    escalation.escalate(conflict("graph theory"));
    escalation.escalate(conflict("graph theory"));

    ConflictState state = awaitState(conflicts, s -> true, env);
    assertThat(state.revision()).isEqualTo(1);
    assertThat(state.status()).isEqualTo(ConflictStatus.OPEN);
    WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub("resolve/Concept/c-1");
    var attributes = stub.describe().getTypedSearchAttributes();
    assertThat(attributes.get(SyncSearchAttributes.ENTITY_TYPE)).isEqualTo("Concept");
    assertThat(attributes.get(SyncSearchAttributes.ENTITY_ID)).isEqualTo("c-1");
    assertThat(attributes.get(SyncSearchAttributes.TENANT_ID)).isEqualTo("t-1");
    assertThat(attributes.get(SyncSearchAttributes.CONFLICT_STATUS)).isEqualTo("OPEN");

    escalation.escalate(conflict("renamed again"));
    assertThat(awaitState(conflicts, s -> s.revision() == 2, env).conflict()).isEqualTo(conflict("renamed again"));
  }

  @Test
  void givenBadApprovals_whenApprovedThroughTheClient_itRefusesWithoutSignalling(
      TestWorkflowEnvironment env, Worker worker) {
    EscalationActivitiesImpl escalation = start(env, worker);
    ConflictClient conflicts = new ConflictClient(env.getWorkflowClient());
    escalation.escalate(conflict("graph theory"));
    awaitState(conflicts, s -> true, env);

    assertThatThrownBy(() -> conflicts.approve("Concept", "c-1", new Approval(Resolution.DISMISS, "", null, null)))
        .isInstanceOfSatisfying(ApprovalRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(ApprovalRejectedException.Reason.MALFORMED));
    assertThatThrownBy(() -> conflicts.approve("Concept", "c-1", new Approval(Resolution.DISMISS, "al", null, 2)))
        .isInstanceOfSatisfying(ApprovalRejectedException.class, e -> {
          assertThat(e.reason()).isEqualTo(ApprovalRejectedException.Reason.STALE);
          assertThat(e.getMessage()).contains("revision 2", "revision 1");
          assertThat(e.state().revision()).isEqualTo(1);
        });
    assertThatThrownBy(() -> conflicts.approve("Concept", "nope", new Approval(Resolution.DISMISS, "al", null, 1)))
        .isInstanceOfSatisfying(ApprovalRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(ApprovalRejectedException.Reason.NO_OPEN_CONFLICT));
    assertThat(conflicts.show("Concept", "c-1").orElseThrow().rejectedApprovals())
        .as("nothing reached the workflow").isEmpty();
    assertThat(conflicts.show("Concept", "nope")).isEmpty();
  }

  @Test
  void givenAValidApproval_whenApprovedThroughTheClient_itResolvesAndTheNextConflictIsANewRun(
      TestWorkflowEnvironment env, Worker worker) {
    EscalationActivitiesImpl escalation = start(env, worker);
    ConflictClient conflicts = new ConflictClient(env.getWorkflowClient());
    escalation.escalate(conflict("graph theory"));
    awaitState(conflicts, s -> true, env);

    conflicts.approve("Concept", "c-1", new Approval(Resolution.KEEP_NEO4J, "alice", "graph is right", 1));

    WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub("resolve/Concept/c-1");
    assertThat(stub.getResult(ResolutionOutcome.class))
        .isEqualTo(new ResolutionOutcome(Resolution.KEEP_NEO4J, "alice", true, "row updated"));
    assertThat(activities.decisions).singleElement().satisfies(d -> assertThat(d.revision()).isEqualTo(1));
    assertThat(conflicts.show("Concept", "c-1").orElseThrow().status()).isEqualTo(ConflictStatus.RESOLVED);
    assertThatThrownBy(() -> conflicts.approve("Concept", "c-1", new Approval(Resolution.DISMISS, "bob", null, null)))
        .isInstanceOfSatisfying(ApprovalRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(ApprovalRejectedException.Reason.NO_OPEN_CONFLICT));

    escalation.escalate(conflict("edited once more"));
    ConflictState next = awaitState(conflicts, s -> s.status() == ConflictStatus.OPEN, env);
    assertThat(next.revision()).isEqualTo(1);
    assertThat(next.conflict()).isEqualTo(conflict("edited once more"));
  }

  @Test
  void givenADismissedConflict_whenTheSameFindingIsEscalatedAgain_itIsNotReopenedButADifferentOneIs(
      TestWorkflowEnvironment env, Worker worker) {
    EscalationActivitiesImpl escalation = start(env, worker);
    ConflictClient conflicts = new ConflictClient(env.getWorkflowClient());
    escalation.escalate(conflict("graph theory"));
    awaitState(conflicts, s -> true, env);
    conflicts.approve("Concept", "c-1", new Approval(Resolution.DISMISS, "alice", "known difference", 1));
    WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub("resolve/Concept/c-1");
    stub.getResult(ResolutionOutcome.class);
    String dismissedRun = stub.describe().getExecution().getRunId();

    Conflict again = new Conflict("concepts", "Concept", "c-1", "t-1", Conflict.SAME_VERSION_DIFFERENT_CONTENT, 3L, 1L,
        Map.of("name", "graphs"), Map.of("name", "graph theory"),
        List.of(new PropertyDifference("name", "graphs", "graph theory")), Instant.parse("2026-11-26T10:00:00Z"),
        "reconcile/2");
    escalation.escalate(again);

    assertThat(env.getWorkflowClient().newUntypedWorkflowStub("resolve/Concept/c-1").describe().getExecution()
        .getRunId()).as("not reopened").isEqualTo(dismissedRun);

    escalation.escalate(conflict("renamed once more"));
    ConflictState reopened = awaitState(conflicts, s -> s.status() == ConflictStatus.OPEN, env);
    assertThat(reopened.conflict()).isEqualTo(conflict("renamed once more"));
  }

  @Test
  void givenATenantOrAStatus_whenListing_itQueriesOpenConflictsOfThatTenantOrStatusOnly() {
    assertThat(ConflictClient.query(null, null))
        .isEqualTo("WorkflowType=\"ManualResolutionWorkflow\" AND ExecutionStatus=\"Running\"");
    assertThat(ConflictClient.query(" t-\"1 ", null)).isEqualTo(
        "WorkflowType=\"ManualResolutionWorkflow\" AND ExecutionStatus=\"Running\" AND TenantId=\"t-\\\"1\"");
    assertThat(ConflictClient.query("", ConflictStatus.OVERDUE)).isEqualTo(
        "WorkflowType=\"ManualResolutionWorkflow\" AND ExecutionStatus=\"Running\" AND ConflictStatus=\"OVERDUE\"");
    assertThatThrownBy(() -> ConflictClient.query(null, ConflictStatus.RESOLVED))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenManyDifferences_whenSummarised_itNamesTheFirstThree() {
    Conflict conflict = new Conflict("concepts", "Concept", "3f2a9c1e-0000-4000-8000-000000000001", null, "K", 1L,
        null, Map.of(), Map.of(), List.of(new PropertyDifference("a", 1, 2), new PropertyDifference("b", 1, 2),
        new PropertyDifference("c", 1, 2), new PropertyDifference("d", 1, 2)), Instant.EPOCH, "x");

    assertThat(EscalationActivitiesImpl.summary(conflict))
        .isEqualTo("Conflict Concept 3f2a9c1e…: a, b, c and 1 more differ");
  }
}
