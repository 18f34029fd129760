package io.graphsync.activities.neo4j;

import static io.graphsync.activities.neo4j.ChangeEvents.create;
import static io.graphsync.activities.neo4j.ChangeEvents.delete;
import static io.graphsync.activities.neo4j.ChangeEvents.row;
import static io.graphsync.activities.neo4j.ChangeEvents.update;
import static io.graphsync.activities.neo4j.TestGraph.newId;
import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.GraphApplyResult;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;

/** Join-table rows as relationships with properties, against a real Neo4j; fresh ids per test. */
@ExtendWith(GraphsyncExtension.class)
class JoinTableWritesIT {

  private static TestGraph testGraph;
  private static GraphProbe graph;

  @BeforeAll
  static void connect(Driver driver) {
    testGraph = TestGraph.connect(driver);
    graph = testGraph.probe;
  }

  private static GraphApplyResult apply(ChangeEvent event) {
    return testGraph.apply(event);
  }

  private static Map<String, Object> joinRow(String item, String concept, String tenant, String weight) {
    return row("content_item_id", item, "concept_id", concept, "tenant_id", tenant, "weight", weight);
  }

  @Test
  void givenJoinRow_whenInserted_itMakesTheRelationshipWithProperties() {
    String tenant = newId();
    String item = newId();
    String concept = newId();
    apply(create("content_items", item, 1, row("id", item, "tenant_id", tenant, "title", "item")));
    apply(create("concepts", concept, 2, row("id", concept, "tenant_id", tenant, "name", "c")));

    GraphApplyResult result = apply(create("content_item_concepts", item + "|" + concept, 10,
        joinRow(item, concept, tenant, "0.7500")));

    assertThat(result.applied()).isTrue();
    assertThat(result.nodeId()).isNull();
    assertThat(graph.relationship(item, "MENTIONS", concept).orElseThrow())
        .containsEntry("weight", 0.75).containsEntry("tenantId", tenant).containsEntry("syncPosition", 10L)
        .containsKey("lastSyncedAt");
    assertThat(graph.node("ContentItem", item).orElseThrow()).doesNotContainKey("placeholder");
  }

  @Test
  void givenJoinRowWithMissingEndpoints_whenInserted_itMakesPlaceholders() {
    String tenant = newId();
    String item = newId();
    String concept = newId();

    apply(create("content_item_concepts", item + "|" + concept, 10,
        joinRow(item, concept, tenant, "1")));
    apply(create("concepts", concept, 11, row("id", concept, "tenant_id", tenant, "name", "c")));

    assertThat(graph.node("ContentItem", item).orElseThrow()).containsEntry("placeholder", true);
    assertThat(graph.node("Concept", concept).orElseThrow()).doesNotContainKey("placeholder");
    assertThat(graph.relationship(item, "MENTIONS", concept)).isPresent();
  }

  @Test
  void givenJoinRow_whenDeleted_itRemovesTheRelationshipAndLeavesATombstone() {
    String tenant = newId();
    String item = newId();
    String concept = newId();
    Map<String, Object> joinRow = joinRow(item, concept, tenant, "1");
    apply(create("content_item_concepts", item + "|" + concept, 10, joinRow));

    GraphApplyResult deleted = apply(delete("content_item_concepts", item + "|" + concept, 20, joinRow));

    assertThat(deleted.applied()).isTrue();
    assertThat(graph.relationship(item, "MENTIONS", concept)).isEmpty();
    assertThat(graph.tombstone("MENTIONS:" + item + "|" + concept)).contains(20L);
    assertThat(graph.nodesWithId(item)).isEqualTo(1);
  }

  @Test
  void givenJoinRowDeleted_whenStaleInsertArrives_itStaysDeleted() {
    String tenant = newId();
    String item = newId();
    String concept = newId();
    Map<String, Object> joinRow = joinRow(item, concept, tenant, "1");
    apply(create("content_item_concepts", item + "|" + concept, 10, joinRow));
    apply(delete("content_item_concepts", item + "|" + concept, 30, joinRow));

    GraphApplyResult stale = apply(create("content_item_concepts", item + "|" + concept, 20, joinRow));

    assertThat(stale.applied()).isFalse();
    assertThat(graph.relationship(item, "MENTIONS", concept)).isEmpty();
  }

  @Test
  void givenJoinRowDeletedFirst_whenStaleInsertArrives_itCreatesNoPlaceholders() {
    String tenant = newId();
    String item = newId();
    String concept = newId();
    Map<String, Object> joinRow = joinRow(item, concept, tenant, "1");
    apply(delete("content_item_concepts", item + "|" + concept, 30, joinRow));

    GraphApplyResult stale = apply(create("content_item_concepts", item + "|" + concept, 20, joinRow));

    assertThat(stale.applied()).isFalse();
    assertThat(graph.nodesWithId(item)).isZero();
    assertThat(graph.nodesWithId(concept)).isZero();
  }

  @Test
  void givenJoinRow_whenUpdatedTwice_itKeepsTheNewerProperties() {
    String tenant = newId();
    String item = newId();
    String concept = newId();
    String entityId = item + "|" + concept;
    apply(update("content_item_concepts", entityId, 20,
        joinRow(item, concept, tenant, "0.2")));

    GraphApplyResult older = apply(update("content_item_concepts", entityId, 10,
        joinRow(item, concept, tenant, "0.1")));

    assertThat(older.applied()).isFalse();
    assertThat(graph.relationship(item, "MENTIONS", concept).orElseThrow()).containsEntry("weight", 0.2);
  }

  @Test
  void givenSameJoinEventTwice_whenApplied_itLeavesTheSameGraph() {
    String tenant = newId();
    String item = newId();
    String concept = newId();
    ChangeEvent event = create("content_item_concepts", item + "|" + concept, 10, joinRow(item, concept, tenant, "1"));
    apply(event);
    var relationshipsAfterFirst = graph.relationships(item);
    Map<String, Object> conceptAfterFirst = graph.node("Concept", concept).orElseThrow();

    GraphApplyResult second = apply(event);

    assertThat(second.applied()).isFalse();
    assertThat(graph.relationships(item)).isEqualTo(relationshipsAfterFirst).hasSize(1);
    assertThat(graph.node("Concept", concept)).contains(conceptAfterFirst);
  }

  @Test
  void givenJoinRowDeleted_whenReinsertedWithHigherPosition_itEndsPresent() {
    String tenant = newId();
    String item = newId();
    String concept = newId();
    String entityId = item + "|" + concept;
    apply(create("content_item_concepts", entityId, 10, joinRow(item, concept, tenant, "1")));
    apply(delete("content_item_concepts", entityId, 20, joinRow(item, concept, tenant, "1")));

    GraphApplyResult reinserted = apply(create("content_item_concepts", entityId, 30,
        joinRow(item, concept, tenant, "0.5")));

    assertThat(reinserted.applied()).isTrue();
    assertThat(graph.relationship(item, "MENTIONS", concept).orElseThrow())
        .containsEntry("weight", 0.5).containsEntry("syncPosition", 30L);
    assertThat(graph.tombstone("MENTIONS:" + entityId)).isEmpty();
  }

  @Test
  void givenEndpointDeletedLater_whenAnOlderJoinRowArrives_itIsStaleAndMakesNoPlaceholder() {
    String tenant = newId();
    String item = newId();
    String concept = newId();
    apply(create("concepts", concept, 1, row("id", concept, "tenant_id", tenant, "name", "c")));
    apply(delete("content_items", item, 50, row("id", item)));

    GraphApplyResult older = apply(create("content_item_concepts", item + "|" + concept, 40,
        joinRow(item, concept, tenant, "1")));

    assertThat(older.applied()).isFalse();
    assertThat(graph.nodesWithId(item)).isZero();
    assertThat(graph.relationships(concept)).noneMatch(r -> r.contains("MENTIONS"));
  }
}
