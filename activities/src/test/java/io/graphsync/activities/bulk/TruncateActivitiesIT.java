package io.graphsync.activities.bulk;

import static io.graphsync.activities.neo4j.TestGraph.newId;
import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.neo4j.GraphProbe;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.neo4j.TestGraph;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.workflows.bulk.Truncate;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;

/**
 * A TRUNCATE against a real Neo4j: what earlier changes synced goes, in batches, tombstoned at the truncate's position
 * (the guard every write checks, so a late change cannot bring it back); what a later change wrote and what was
 * created in the graph stays. Labels of their own, so the shared graph's other tests are untouched.
 */
@ExtendWith(GraphsyncExtension.class)
class TruncateActivitiesIT {

  private static final GraphMapping MAPPING = new GraphMapping(
      List.of(new TableMapping("truncate_probes", "TruncateProbe", "id", null, null, null, null, null, null)),
      List.of(new JoinTableMapping("truncate_probe_links", "from_id", "truncate_probes", "to_id", "truncate_probes",
          "TRUNCATE_PROBE_LINK", null, null, null)));

  private static TestGraph testGraph;
  private static GraphProbe graph;
  private static TruncateActivitiesImpl truncates;

  @BeforeAll
  static void connect(Driver driver) {
    testGraph = TestGraph.connect(driver);
    graph = testGraph.probe;
    truncates = new TruncateActivitiesImpl(Neo4jTarget.of(testGraph.driver), MAPPING);
  }

  private static void cypher(String text, Map<String, Object> parameters) {
    testGraph.driver.executableQuery(text).withParameters(parameters).execute();
  }

  @Test
  void givenNodesOfAnEntityTable_whenItIsTruncated_syncedNodesAndPlaceholdersGoInBatchesAndTheRestStays() {
    List<String> synced = List.of(newId(), newId(), newId(), newId(), newId());
    for (int i = 0; i < synced.size(); i++) {
      cypher("CREATE (:TruncateProbe {id: $id, syncPosition: $position})", Map.of("id", synced.get(i),
          "position", 100L + i));
    }
    String placeholder = newId();
    cypher("CREATE (:TruncateProbe {id: $id, placeholder: true})", Map.of("id", placeholder));
    String later = newId();
    cypher("CREATE (:TruncateProbe {id: $id, syncPosition: 900})", Map.of("id", later));
    String graphBorn = newId();
    cypher("CREATE (:TruncateProbe {id: $id, name: 'made in the graph'})", Map.of("id", graphBorn));
    Truncate truncate = new Truncate("truncate_probes", "TruncateProbe", 500, Instant.now());

    int first = truncates.deleteTruncated(truncate, 4);
    int second = truncates.deleteTruncated(truncate, 4);
    int third = truncates.deleteTruncated(truncate, 4);

    assertThat(List.of(first, second, third)).containsExactly(4, 2, 0);
    for (String id : synced) {
      assertThat(graph.node("TruncateProbe", id)).isEmpty();
      assertThat(graph.tombstone("TruncateProbe:" + id)).contains(500L);
    }
    assertThat(graph.node("TruncateProbe", placeholder)).isEmpty();
    assertThat(graph.node("TruncateProbe", later)).as("written by a change after the truncate").isPresent();
    assertThat(graph.node("TruncateProbe", graphBorn)).as("never synced from PostgreSQL").isPresent();
  }

  @Test
  void givenRelationshipsOfAJoinTable_whenItIsTruncated_theEarlierOnesGoWithTombstonesAndNewerOnesStay() {
    String from = newId();
    String to = newId();
    String newer = newId();
    String older = newId();
    // end nodes of a label of their own: the entity test counts every TruncateProbe it deletes
    cypher("CREATE (a:TruncateEnd {id: $from}), (b:TruncateEnd {id: $to}), "
        + "(c:TruncateEnd {id: $newer}), (d:TruncateEnd {id: $older}), "
        + "(a)-[:TRUNCATE_PROBE_LINK {syncPosition: 10}]->(b), (a)-[:TRUNCATE_PROBE_LINK {syncPosition: 900}]->(c), "
        + "(a)-[:TRUNCATE_PROBE_LINK {syncPosition: 20, weight: 1}]->(d), (d)-[:OTHER {syncPosition: 5}]->(b)",
        Map.of("from", from, "to", to, "newer", newer, "older", older));
    Truncate truncate = new Truncate("truncate_probe_links", "TRUNCATE_PROBE_LINK", 700, Instant.now());

    while (truncates.deleteTruncated(truncate, 1) == 1) {
      // one relationship per transaction, until none is left
    }

    assertThat(graph.relationship(from, "TRUNCATE_PROBE_LINK", to)).isEmpty();
    assertThat(graph.relationship(from, "TRUNCATE_PROBE_LINK", older)).isEmpty();
    assertThat(graph.tombstone("TRUNCATE_PROBE_LINK:" + from + "|" + to)).contains(700L);
    assertThat(graph.relationship(from, "TRUNCATE_PROBE_LINK", newer)).isPresent();
    assertThat(graph.relationship(older, "OTHER", to)).as("another type").isPresent();
    assertThat(graph.node("TruncateEnd", from)).as("the end nodes stay").isPresent();
  }
}
