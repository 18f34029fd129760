package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.Await;
import io.graphsync.workflows.backflow.BackflowOutcome;
import io.graphsync.workflows.backflow.BackflowWrite;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Both sides changed a {@code Concept} under the {@code POSTGRES_WINS} policy, on the whole stack (worker-app with
 * {@code graphsync.backflow.policies.Concept=POSTGRES_WINS}; in a JVM of its own, tag
 * {@code backflow-policy-postgres-wins}): the graph edit is newer, and still PostgreSQL's row stays and the node is
 * rewritten from it — one row, one node, no conflict to decide, and no further workflows.
 */
@Tag("backflow-policy-postgres-wins")
class BackflowPostgresWinsIT extends BackflowStackIT {

  private static final String GRAPH = "changed in the graph, later";
  private static final String POSTGRES = "changed in postgres";

  @DynamicPropertySource
  static void postgresWins(DynamicPropertyRegistry registry) {
    registry.add("graphsync.backflow.policies.Concept", () -> "POSTGRES_WINS");
  }

  @Test
  void givenBothSidesChanged_whenTheGraphEditIsNewer_postgresStillWinsInBothStores() throws Exception {
    String id = conceptFromPostgres(tenant(), "original");

    changeBothSides(id, POSTGRES, GRAPH);

    BackflowWrite write = backflowResult(id, 1);
    assertThat(write.outcome()).as(write.detail()).isEqualTo(BackflowOutcome.POSTGRES_WINS);
    assertThat(write.detail()).contains("policy POSTGRES_WINS", "the row stays");
    Await.until("the node is rewritten from the row", TIMEOUT, () -> POSTGRES.equals(node(id).get("name"))
        && Long.valueOf(2).equals(node(id).get("pgVersion")));
    Await.until("the concept settles", TIMEOUT, () -> settled(id));
    Await.staysTrue("four polls more start nothing new", Duration.ofSeconds(4),
        () -> workflows("SyncChangeEventWorkflow", id) == 2 && workflows("Neo4jToPostgresSyncWorkflow", id) == 1
            && settled(id));

    assertThat(sql.count("SELECT count(*) FROM concepts WHERE id = ?::uuid", id)).isEqualTo(1);
    assertThat(sql.count("SELECT count(*) FROM concepts WHERE id = ?::uuid AND name = ? AND pg_version = 2 "
        + "AND sync_origin IS NULL", id, POSTGRES)).as("the graph edit never reached the row").isEqualTo(1);
    assertThat(count("MATCH (c:Concept {id: $id}) RETURN count(c) AS c", id)).isEqualTo(1);
    assertThat(node(id)).containsEntry("name", POSTGRES).containsEntry("pgVersion", 2L)
        .containsEntry("neo4jVersion", 1L).containsEntry("backflowVersion", 1L).doesNotContainKey("backflowHold");
    assertThat(workflows("ManualResolutionWorkflow", id)).isZero();
    assertThat(syncOutcomes(id)).hasSize(2).allMatch(o -> o.detail() == null);
  }
}
