package io.graphsync.activities.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.graphsync.activities.neo4j.GraphMutation.DeleteNode;
import io.graphsync.activities.neo4j.GraphMutation.DeleteRelationship;
import io.graphsync.activities.neo4j.GraphMutation.ForeignKeyLink;
import io.graphsync.activities.neo4j.GraphMutation.NodeRef;
import io.graphsync.activities.neo4j.GraphMutation.UpsertNode;
import io.graphsync.activities.neo4j.GraphMutation.UpsertRelationship;
import io.graphsync.workflows.mapping.Direction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CypherStatementsTest {

  private static final String NODE_GUARD = """
      MERGE (n:`Message` {id: $id})
      ON CREATE SET n.neo4jVersion = 0, n.graphsyncNew = true
      SET n.graphsyncLock = true
      REMOVE n.graphsyncLock
      WITH n
      OPTIONAL MATCH (gone:GraphsyncTombstone {key: $tombstoneKey})
      WITH n, gone, coalesce(n.syncPosition, -1) < $position AND coalesce(gone.position, -1) < $position AS fresh
      FOREACH (stale IN CASE WHEN NOT fresh AND n.graphsyncNew THEN [n] ELSE [] END | DELETE stale)
      WITH n, gone WHERE fresh
      DELETE gone
      SET n += $properties, n.pgId = $id, n.tenantId = $tenantId, n.pgVersion = $version,
          n.syncPosition = $position, n.lastSyncedAt = datetime()
      REMOVE n.placeholder, n.graphsyncNew
      """;

  @Test
  void givenUpsertNodeWithoutForeignKeys_whenRendered_itMergesGuardsAndSetsWithParameters() {
    UpsertNode upsert = new UpsertNode("Message", "m1", "t1", 3L, 20, Map.of("body", "hi"), List.of());

    CypherStatement statement = CypherStatements.of(upsert);

    assertThat(statement.text()).isEqualTo(NODE_GUARD + "RETURN elementId(n) AS nodeId");
    assertThat(statement.parameters()).containsOnly(entry("id", "m1"), entry("tombstoneKey", "Message:m1"),
        entry("position", 20L), entry("properties", Map.of("body", "hi")), entry("tenantId", "t1"),
        entry("version", 3L));
  }

  @Test
  void givenUpsertNodeWithForeignKeys_whenRendered_itMovesEachRelationshipInItsDirection() {
    UpsertNode upsert = new UpsertNode("Message", "m1", "t1", 3L, 20, Map.of(), List.of(
        new ForeignKeyLink("IN_THREAD", Direction.OUTGOING, "Thread", "th1"),
        new ForeignKeyLink("AUTHORED", Direction.INCOMING, "User", null)));

    CypherStatement statement = CypherStatements.of(upsert);

    assertThat(statement.text()).isEqualTo(NODE_GUARD + """
        WITH n
        OPTIONAL MATCH (n)-[old0:`IN_THREAD`]->(previous0:`Thread`)
        WHERE $link0 IS NULL OR previous0.id <> $link0
        WITH n, collect(old0) AS obsolete0
        FOREACH (r IN obsolete0 | DELETE r)
        WITH n
        OPTIONAL MATCH (gone0:GraphsyncTombstone {key: $linkTombstoneKey0})
        WITH n, CASE WHEN $link0 IS NOT NULL AND coalesce(gone0.position, -1) < $position
            THEN [$link0] ELSE [] END AS targetIds0
        FOREACH (targetId IN targetIds0 |
          MERGE (target0:`Thread` {id: targetId})
          ON CREATE SET target0.placeholder = true, target0.pgId = targetId, target0.neo4jVersion = 0
          MERGE (n)-[:`IN_THREAD`]->(target0))
        WITH n
        OPTIONAL MATCH (n)<-[old1:`AUTHORED`]-(previous1:`User`)
        WHERE $link1 IS NULL OR previous1.id <> $link1
        WITH n, collect(old1) AS obsolete1
        FOREACH (r IN obsolete1 | DELETE r)
        WITH n
        OPTIONAL MATCH (gone1:GraphsyncTombstone {key: $linkTombstoneKey1})
        WITH n, CASE WHEN $link1 IS NOT NULL AND coalesce(gone1.position, -1) < $position
            THEN [$link1] ELSE [] END AS targetIds1
        FOREACH (targetId IN targetIds1 |
          MERGE (target1:`User` {id: targetId})
          ON CREATE SET target1.placeholder = true, target1.pgId = targetId, target1.neo4jVersion = 0
          MERGE (n)<-[:`AUTHORED`]-(target1))
        RETURN elementId(n) AS nodeId""");
    assertThat(statement.parameters()).contains(entry("link0", "th1"), entry("linkTombstoneKey0", "Thread:th1"),
        entry("link1", null), entry("linkTombstoneKey1", null));
  }

  @Test
  void givenDeleteNode_whenRendered_itDetachDeletesAndWritesATombstone() {
    CypherStatement statement = CypherStatements.of(new DeleteNode("Message", "m1", 30));

    assertThat(statement.text()).isEqualTo("""
        MERGE (n:`Message` {id: $id})
        ON CREATE SET n.graphsyncNew = true
        SET n.graphsyncLock = true
        REMOVE n.graphsyncLock
        WITH n
        OPTIONAL MATCH (gone:GraphsyncTombstone {key: $tombstoneKey})
        WITH n, coalesce(n.syncPosition, -1) < $position AND coalesce(gone.position, -1) < $position AS fresh
        FOREACH (doomed IN CASE WHEN fresh OR n.graphsyncNew THEN [n] ELSE [] END | DETACH DELETE doomed)
        WITH fresh WHERE fresh
        MERGE (tombstone:GraphsyncTombstone {key: $tombstoneKey})
        SET tombstone.position = $position, tombstone.deletedAt = datetime()
        RETURN null AS nodeId""");
    assertThat(statement.parameters()).containsOnly(entry("id", "m1"), entry("tombstoneKey", "Message:m1"),
        entry("position", 30L));
  }

  @Test
  void givenUpsertRelationship_whenRendered_itMergesEndpointsGuardsAndSetsRelationshipProperties() {
    UpsertRelationship upsert = new UpsertRelationship("MENTIONS", new NodeRef("ContentItem", "c1"),
        new NodeRef("Concept", "k1"), "t1", 40, Map.of("weight", 0.5));

    CypherStatement statement = CypherStatements.of(upsert);

    assertThat(statement.text()).isEqualTo("""
        MERGE (a:`ContentItem` {id: $fromId})
        ON CREATE SET a.placeholder = true, a.pgId = $fromId, a.neo4jVersion = 0, a.graphsyncNew = true
        MERGE (b:`Concept` {id: $toId})
        ON CREATE SET b.placeholder = true, b.pgId = $toId, b.neo4jVersion = 0, b.graphsyncNew = true
        SET a.graphsyncLock = true, b.graphsyncLock = true
        REMOVE a.graphsyncLock, b.graphsyncLock
        WITH a, b
        OPTIONAL MATCH (a)-[r:`MENTIONS`]->(b)
        WITH a, b, max(r.syncPosition) AS relationshipPosition
        OPTIONAL MATCH (gone:GraphsyncTombstone {key: $tombstoneKey})
        OPTIONAL MATCH (goneFrom:GraphsyncTombstone {key: $fromTombstoneKey})
        OPTIONAL MATCH (goneTo:GraphsyncTombstone {key: $toTombstoneKey})
        WITH a, b, gone, coalesce(relationshipPosition, -1) < $position AND coalesce(gone.position, -1) < $position
            AND coalesce(goneFrom.position, -1) < $position AND coalesce(goneTo.position, -1) < $position AS fresh
        FOREACH (stale IN CASE WHEN fresh THEN [] ELSE [x IN [a, b] WHERE x.graphsyncNew] END | DELETE stale)
        WITH a, b, gone WHERE fresh
        DELETE gone
        REMOVE a.graphsyncNew, b.graphsyncNew
        MERGE (a)-[r:`MENTIONS`]->(b)
        SET r += $properties, r.tenantId = $tenantId, r.syncPosition = $position, r.lastSyncedAt = datetime()
        RETURN null AS nodeId""");
    assertThat(statement.parameters()).containsOnly(entry("fromId", "c1"), entry("toId", "k1"),
        entry("tombstoneKey", "MENTIONS:c1|k1"), entry("fromTombstoneKey", "ContentItem:c1"),
        entry("toTombstoneKey", "Concept:k1"), entry("position", 40L), entry("properties", Map.of("weight", 0.5)),
        entry("tenantId", "t1"));
  }

  @Test
  void givenDeleteRelationship_whenRendered_itDeletesTheRelationshipAndWritesATombstone() {
    DeleteRelationship delete = new DeleteRelationship("MENTIONS", new NodeRef("ContentItem", "c1"),
        new NodeRef("Concept", "k1"), 50);

    CypherStatement statement = CypherStatements.of(delete);

    assertThat(statement.text()).isEqualTo("""
        MERGE (a:`ContentItem` {id: $fromId})
        ON CREATE SET a.graphsyncNew = true
        MERGE (b:`Concept` {id: $toId})
        ON CREATE SET b.graphsyncNew = true
        SET a.graphsyncLock = true, b.graphsyncLock = true
        REMOVE a.graphsyncLock, b.graphsyncLock
        WITH a, b
        OPTIONAL MATCH (a)-[r:`MENTIONS`]->(b)
        WITH a, b, collect(r) AS relationships, max(r.syncPosition) AS relationshipPosition
        OPTIONAL MATCH (gone:GraphsyncTombstone {key: $tombstoneKey})
        WITH a, b, relationships,
            coalesce(relationshipPosition, -1) < $position AND coalesce(gone.position, -1) < $position AS fresh
        FOREACH (r IN CASE WHEN fresh THEN relationships ELSE [] END | DELETE r)
        FOREACH (created IN [x IN [a, b] WHERE x.graphsyncNew] | DELETE created)
        WITH fresh WHERE fresh
        MERGE (tombstone:GraphsyncTombstone {key: $tombstoneKey})
        SET tombstone.position = $position, tombstone.deletedAt = datetime()
        RETURN null AS nodeId""");
    assertThat(statement.parameters()).containsOnly(entry("fromId", "c1"), entry("toId", "k1"),
        entry("tombstoneKey", "MENTIONS:c1|k1"), entry("position", 50L));
  }

  @Test
  void givenHostileValues_whenRendered_theyStayInParametersAndNeverInTheText() {
    String hostile = "x'}) DETACH DELETE n //";
    UpsertNode upsert = new UpsertNode("Message", hostile, hostile, null, 1, Map.of("body", hostile),
        List.of(new ForeignKeyLink("IN_THREAD", Direction.OUTGOING, "Thread", hostile)));

    CypherStatement statement = CypherStatements.of(upsert);

    assertThat(statement.text()).doesNotContain(hostile);
    assertThat(statement.parameters()).containsEntry("id", hostile).containsEntry("link0", hostile);
  }

  @Test
  void givenLabelThatIsNotAnIdentifier_whenRendered_itIsRejected() {
    UpsertNode upsert = new UpsertNode("Message`) DETACH DELETE (x", "m1", null, null, 1, Map.of(), List.of());

    assertThatThrownBy(() -> CypherStatements.of(upsert))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid label or relationship type");
  }

  @Test
  void givenUpsertsOfOneShape_whenBatched_eachRowIsGuardedLikeASingleStatement() {
    UpsertNode a = new UpsertNode("Concept", "c1", "t1", 1L, 10, Map.of("name", "a"),
        List.of(new ForeignKeyLink("BELONGS_TO", Direction.OUTGOING, "Tenant", "t1")));
    UpsertNode b = new UpsertNode("Concept", "c2", "t1", 3L, 10, Map.of("name", "b"),
        List.of(new ForeignKeyLink("BELONGS_TO", Direction.OUTGOING, "Tenant", "t1")));

    CypherStatement batch = CypherStatements.batch(List.of(a, b), List.of("c1", "c2"));

    String single = CypherStatements.of(a).text();
    assertThat(batch.text()).startsWith("UNWIND $rows AS row\nMERGE (n:`Concept` {id: row.id})")
        .contains("coalesce(n.syncPosition, -1) < row.position AND coalesce(gone.position, -1) < row.position")
        .contains("WITH row, n, gone WHERE fresh")
        .contains("WITH row, n, collect(old0) AS obsolete0")
        .endsWith("RETURN row.key AS key, elementId(n) AS nodeId");
    assertThat(batch.text().replace("$rows", "")).doesNotContain("$");
    assertThat(batch.text().split("\\bWITH ").length).isEqualTo(single.split("\\bWITH ").length);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) batch.parameters().get("rows");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1)).contains(entry("key", "c2"), entry("id", "c2"), entry("version", 3L),
        entry("link0", "t1"), entry("properties", Map.of("name", "b")));
  }

  @Test
  void givenMutationsOfDifferentShapes_whenBatched_itIsRejected() {
    UpsertNode withLink = new UpsertNode("Concept", "c1", "t1", 1L, 10, Map.of(),
        List.of(new ForeignKeyLink("BELONGS_TO", Direction.OUTGOING, "Tenant", "t1")));
    UpsertNode withoutLink = new UpsertNode("Concept", "c2", "t1", 1L, 10, Map.of(), List.of());

    assertThatThrownBy(() -> CypherStatements.batch(List.of(withLink, withoutLink), List.of("c1", "c2")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one shape");
  }
}
