package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.Await;
import io.graphsync.workflows.backflow.BackflowOutcome;
import io.graphsync.workflows.backflow.BackflowWrite;
import io.graphsync.workflows.resolve.Approval;
import io.graphsync.workflows.resolve.ConflictState;
import io.graphsync.workflows.resolve.ConflictStatus;
import io.graphsync.workflows.resolve.ManualResolutionWorkflow;
import io.graphsync.workflows.resolve.Resolution;
import io.graphsync.workflows.resolve.ResolutionOutcome;
import io.graphsync.workflows.sync.SyncOutcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Both sides changed a {@code Concept} under the {@code MANUAL} policy, on the whole stack (worker-app with
 * {@code graphsync.backflow.policies.Concept=MANUAL}; in a JVM of its own, tag {@code backflow-policy-manual}): the
 * conflict goes to a person, the graph edit survives while it waits (the PostgreSQL change finishes without writing
 * the held node), and the decision sent as a signal makes both stores converge on the chosen side — one row, one node,
 * and no further workflows.
 */
@Tag("backflow-policy-manual")
class BackflowManualIT extends BackflowStackIT {

  private static final String GRAPH = "curated in the graph";
  private static final String POSTGRES = "renamed in postgres";

  @DynamicPropertySource
  static void manual(DynamicPropertyRegistry registry) {
    registry.add("graphsync.backflow.policies.Concept", () -> "MANUAL");
  }

  @Test
  void givenBothSidesChanged_whenKeepNeo4jIsApproved_bothStoresHoldTheGraphEdit() throws Exception {
    String id = conceptFromPostgres(tenant(), "original");

    changeBothSides(id, POSTGRES, GRAPH);
    ConflictState conflict = awaitHeldConflict(id);

    approve(id, new Approval(Resolution.KEEP_NEO4J, "it-operator", "curated in the graph", conflict.revision()));

    ResolutionOutcome outcome = outcome(id);
    assertThat(outcome.resolution()).isEqualTo(Resolution.KEEP_NEO4J);
    assertThat(outcome.applied()).isTrue();
    // the decision's own row write (pg_version 3) comes back through the capture and is applied, not held
    Await.until("the row holds the graph's value", TIMEOUT, () -> sql.count("SELECT count(*) FROM concepts "
        + "WHERE id = ?::uuid AND name = ? AND pg_version = 3 AND sync_status = 'SUCCESS'", id, GRAPH) == 1);
    Await.until("the node is stamped with the decision's row version", TIMEOUT,
        () -> Long.valueOf(3).equals(node(id).get("pgVersion")));
    awaitSettled(id, 3);

    assertThat(node(id)).containsEntry("name", GRAPH).containsEntry("pgVersion", 3L)
        .containsEntry("neo4jVersion", 1L).containsEntry("backflowVersion", 1L).doesNotContainKey("backflowHold");
    assertThat(syncOutcomes(id)).hasSize(3).filteredOn(o -> o.detail() == null).allMatch(SyncOutcome::applied);
    assertOneRowAndOneNode(id);
  }

  @Test
  void givenBothSidesChanged_whenKeepPostgresIsApproved_bothStoresHoldThePostgresEdit() throws Exception {
    String id = conceptFromPostgres(tenant(), "original");

    changeBothSides(id, POSTGRES, GRAPH);
    ConflictState conflict = awaitHeldConflict(id);

    approve(id, new Approval(Resolution.KEEP_POSTGRES, "it-operator", "the graph edit was a test",
        conflict.revision()));

    ResolutionOutcome outcome = outcome(id);
    assertThat(outcome.resolution()).isEqualTo(Resolution.KEEP_POSTGRES);
    assertThat(outcome.applied()).as(outcome.detail()).isTrue();
    Await.until("the node holds PostgreSQL's value", TIMEOUT, () -> POSTGRES.equals(node(id).get("name")));
    awaitSettled(id, 2);

    assertThat(node(id)).containsEntry("name", POSTGRES).containsEntry("pgVersion", 2L)
        .containsEntry("neo4jVersion", 1L).containsEntry("backflowVersion", 1L).doesNotContainKey("backflowHold");
    assertThat(sql.count("SELECT count(*) FROM concepts WHERE id = ?::uuid AND name = ? AND pg_version = 2", id,
        POSTGRES)).isEqualTo(1);
    assertOneRowAndOneNode(id);
  }

  // --- steps --------------------------------------------------------------------------------------------------

  /**
   * The back-flow hands the conflict to a person and holds the node; the PostgreSQL change that waited for it then
   * finishes without writing the node (its result says so), and the graph edit stays while nobody decides.
   */
  private ConflictState awaitHeldConflict(String id) throws Exception {
    BackflowWrite write = backflowResult(id, 1);
    assertThat(write.outcome()).isEqualTo(BackflowOutcome.MANUAL);
    assertThat(write.detail()).contains("held");
    String workflowId = ManualResolutionWorkflow.workflowId("Concept", id);
    Await.until("the PostgreSQL change finished, not written to the held node", TIMEOUT,
        () -> syncOutcomes(id).stream().anyMatch(o -> o.detail() != null && o.detail().contains("held")));
    List<SyncOutcome> outcomes = syncOutcomes(id);
    assertThat(outcomes).hasSize(2);
    assertThat(outcomes).filteredOn(o -> o.detail() != null).singleElement()
        .satisfies(o -> assertThat(o.applied()).isFalse())
        .satisfies(o -> assertThat(o.detail()).contains(workflowId, "pg_version 2"));

    Await.staysTrue("the graph edit survives while the conflict waits", Duration.ofSeconds(5),
        () -> GRAPH.equals(node(id).get("name")) && workflowId.equals(node(id).get("backflowHold")));
    assertThat(sql.count("SELECT count(*) FROM concepts WHERE id = ?::uuid AND name = ? AND pg_version = 2", id,
        POSTGRES)).as("the row is untouched while the conflict waits").isEqualTo(1);
    ConflictState state = workflowClient.newWorkflowStub(ManualResolutionWorkflow.class, workflowId).conflict();
    assertThat(state.status()).isEqualTo(ConflictStatus.OPEN);
    assertThat(state.conflict().postgres()).containsEntry("name", POSTGRES);
    assertThat(state.conflict().neo4j()).containsEntry("name", GRAPH);
    assertThat(workflows("Neo4jToPostgresSyncWorkflow", id)).isEqualTo(1);
    return state;
  }

  /** The decision, as a person sends it: the {@code approve} signal. */
  private void approve(String id, Approval approval) {
    workflowClient.newWorkflowStub(ManualResolutionWorkflow.class, ManualResolutionWorkflow.workflowId("Concept", id))
        .approve(approval);
  }

  private ResolutionOutcome outcome(String id) throws Exception {
    return workflowClient.newUntypedWorkflowStub(ManualResolutionWorkflow.workflowId("Concept", id))
        .getResult(TIMEOUT.toSeconds(), TimeUnit.SECONDS, ResolutionOutcome.class);
  }

  /** Nothing runs for the entity, and a few polls more start nothing: the capture's and the back-flow's counts. */
  private void awaitSettled(String id, int syncs) {
    Await.until("the concept settles", TIMEOUT, () -> settled(id));
    Await.staysTrue("four polls more start nothing new", Duration.ofSeconds(4),
        () -> workflows("SyncChangeEventWorkflow", id) == syncs && workflows("Neo4jToPostgresSyncWorkflow", id) == 1
            && workflows("ManualResolutionWorkflow", id) == 1 && settled(id));
  }

  private void assertOneRowAndOneNode(String id) throws Exception {
    assertThat(sql.count("SELECT count(*) FROM concepts WHERE id = ?::uuid", id)).isEqualTo(1);
    assertThat(count("MATCH (c:Concept {id: $id}) RETURN count(c) AS c", id)).isEqualTo(1);
    assertThat(sql.count("SELECT count(*) FROM graphsync.conflict_audit WHERE entity_id = ?", id)).isEqualTo(1);
  }
}
