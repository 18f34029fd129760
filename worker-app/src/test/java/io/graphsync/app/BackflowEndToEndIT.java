package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.Await;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The flow from Neo4j back to PostgreSQL on the real stack (the sample's cases: {@code Concept} nodes with
 * NEO4J_WINS_IF_NEWER, {@code RELATED_TO} relationships into {@code concept_relations}): graph writers follow the write
 * contract ({@code neo4jVersion} + 1, {@code neo4jModifiedAt = datetime()}), the poller finds the change, a
 * {@code Neo4jToPostgresSyncWorkflow} writes the row, the capture brings the row back as a change that only stamps
 * the graph, and everything settles: one row, one node, no further workflows.
 */
class BackflowEndToEndIT extends BackflowStackIT {

  @Test
  void givenAConceptBornInTheGraph_whenItSettles_itIsOneRowAndOneNodeAndStartsNoFurtherWorkflows() throws Exception {
    String tenant = tenant();
    String id = UUID.randomUUID().toString();
    cypher("CREATE (:Concept {id: $id, tenantId: $tenant, name: 'born in the graph', neo4jVersion: 1, "
        + "neo4jModifiedAt: datetime()})", Map.of("id", id, "tenant", tenant));

    Await.until("back-flow step 1", TIMEOUT, () -> sql.count("SELECT count(*) FROM concepts WHERE id = ?::uuid "
        + "AND name = 'born in the graph' AND sync_status = 'SUCCESS' AND sync_origin = 'neo4j:1'", id) == 1);
    Await.until("back-flow step 2", TIMEOUT, () -> settled(id));
    Await.staysTrue("four polls more start nothing new", Duration.ofSeconds(4),
        () -> workflows("Neo4jToPostgresSyncWorkflow", id) == 1 && workflows("SyncChangeEventWorkflow", id) == 1);

    assertThat(workflows("Neo4jToPostgresSyncWorkflow", id)).isEqualTo(1);
    assertThat(workflows("SyncChangeEventWorkflow", id)).as("the capture's echo of the row").isEqualTo(1);
    assertThat(workflowClient.listExecutions("WorkflowType = 'SyncChangeEventWorkflow' AND EntityId = '" + id
        + "' AND " + SyncSearchAttributes.SOURCE.getName() + " = 'NEO4J'").count()).isEqualTo(1);
    assertThat(sql.count("SELECT count(*) FROM concepts WHERE id = ?::uuid", id)).isEqualTo(1);
    assertThat(sql.count("SELECT pg_version FROM concepts WHERE id = ?::uuid", id)).isEqualTo(1);
    assertThat(node(id)).containsEntry("name", "born in the graph").containsEntry("neo4jVersion", 1L)
        .containsEntry("pgVersion", 1L).containsEntry("backflowVersion", 1L).containsEntry("pgId", id)
        .containsKey("syncPosition");
    assertThat(count("MATCH (c:Concept {id: $id}) RETURN count(c) AS c", id)).isEqualTo(1);

    // edited in the graph again: the row follows (locked on pg_version 1); then a change in PostgreSQL flows to
    // the graph as usual and starts no back-flow
    cypher("MATCH (c:Concept {id: $id}) SET c.description = 'curated', c.neo4jVersion = c.neo4jVersion + 1, "
        + "c.neo4jModifiedAt = datetime()", Map.of("id", id));
    Await.until("back-flow step 3", TIMEOUT, () -> sql.count("SELECT count(*) FROM concepts WHERE id = ?::uuid "
        + "AND description = 'curated' AND pg_version = 2 AND sync_origin = 'neo4j:2'", id) == 1);
    Await.until("back-flow step 4", TIMEOUT, () -> settled(id));
    sql.execute("UPDATE concepts SET name = 'renamed in postgres' WHERE id = ?::uuid", id);
    Await.until("back-flow step 5", TIMEOUT, () -> "renamed in postgres".equals(node(id).get("name")));
    Await.until("back-flow step 6", TIMEOUT, () -> settled(id));
    Await.staysTrue("three polls more start nothing new", Duration.ofSeconds(3),
        () -> workflows("Neo4jToPostgresSyncWorkflow", id) == 2 && workflows("SyncChangeEventWorkflow", id) == 3);

    assertThat(workflows("Neo4jToPostgresSyncWorkflow", id)).isEqualTo(2);
    assertThat(workflows("SyncChangeEventWorkflow", id)).isEqualTo(3);
    assertThat(sql.count("SELECT count(*) FROM concepts WHERE id = ?::uuid AND pg_version = 3 "
        + "AND sync_origin IS NULL AND description = 'curated'", id)).isEqualTo(1);
    assertThat(node(id)).containsEntry("neo4jVersion", 2L).containsEntry("pgVersion", 3L)
        .containsEntry("description", "curated");
  }

  @Test
  void givenARelationshipComputedInTheGraph_whenItSettles_itIsOneJoinRow() throws Exception {
    String tenant = tenant();
    String a = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    for (String concept : new String[] {a, b}) {
      sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, 'c')", concept,
          tenant);
    }
    Await.until("back-flow step 7", TIMEOUT, () -> count("MATCH (c:Concept) WHERE c.id IN [$id, $other] AND "
        + "c.syncPosition IS NOT NULL RETURN count(c) AS c", a, b) == 2);

    cypher("MATCH (a:Concept {id: $a}), (b:Concept {id: $b}) CREATE (a)-[:RELATED_TO {score: 0.8, neo4jVersion: 1, "
        + "neo4jModifiedAt: datetime()}]->(b)", Map.of("a", a, "b", b));

    Await.until("back-flow step 8", TIMEOUT, () -> sql.count("SELECT count(*) FROM concept_relations WHERE "
        + "concept_id = ?::uuid AND related_concept_id = ?::uuid AND score = 0.8 AND tenant_id = ?::uuid", a, b,
        tenant) == 1);
    Await.until("back-flow step 9", TIMEOUT, () -> count(
        "MATCH (:Concept {id: $id})-[r:RELATED_TO]->(:Concept {id: $other}) WHERE r.syncPosition IS NOT NULL "
        + "AND r.backflowVersion = 1 RETURN count(r) AS c", a, b) == 1);
    Await.until("back-flow step 10", TIMEOUT, () -> settled(a + "|" + b));
    Await.staysTrue("three polls more start nothing new", Duration.ofSeconds(3),
        () -> workflows("Neo4jToPostgresSyncWorkflow", a + "|" + b) == 1);

    assertThat(workflows("Neo4jToPostgresSyncWorkflow", a + "|" + b)).isEqualTo(1);
    assertThat(count("MATCH (:Concept {id: $id})-[r:RELATED_TO]->(:Concept {id: $other}) RETURN count(r) AS c",
        a, b)).isEqualTo(1);
  }

  @Test
  void givenBothSidesChanged_whenTheGraphEditIsNewer_itWinsInBothStores() throws Exception {
    String tenant = tenant();
    String id = UUID.randomUUID().toString();
    sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, 'original')", id,
        tenant);
    Await.until("back-flow step 11", TIMEOUT, () -> Long.valueOf(1).equals(node(id).get("pgVersion")));

    changeBothSides(id, "changed in postgres", "changed in the graph, later");

    Await.until("back-flow step 12", TIMEOUT, () -> sql.count("SELECT count(*) FROM concepts WHERE id = ?::uuid "
        + "AND name = 'changed in the graph, later' AND pg_version = 3", id) == 1);
    Await.until("back-flow step 13", TIMEOUT, () -> "changed in the graph, later".equals(node(id).get("name"))
        && Long.valueOf(3).equals(node(id).get("pgVersion")));
    Await.until("back-flow step 14", TIMEOUT, () -> settled(id));
    assertThat(node(id)).containsEntry("name", "changed in the graph, later").containsEntry("pgVersion", 3L);
  }
}
