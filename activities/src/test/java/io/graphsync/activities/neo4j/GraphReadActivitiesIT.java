package io.graphsync.activities.neo4j;

import static io.graphsync.activities.neo4j.ChangeEvents.create;
import static io.graphsync.activities.neo4j.ChangeEvents.delete;
import static io.graphsync.activities.neo4j.ChangeEvents.row;
import static io.graphsync.activities.neo4j.TestGraph.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import io.graphsync.testing.GraphsyncExtension;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;

/** The order key the graph holds per entity, read back from a real Neo4j after real writes. */
@ExtendWith(GraphsyncExtension.class)
class GraphReadActivitiesIT {

  private static TestGraph testGraph;
  private static GraphReadActivitiesImpl reads;

  @BeforeAll
  static void connect(Driver driver) {
    testGraph = TestGraph.connect(driver);
    reads = new GraphReadActivitiesImpl(Neo4jTarget.of(testGraph.driver), ResolvedContextNexus.mapping());
  }

  @Test
  void givenANodeWrittenThenDeleted_itReportsTheLatestPosition() {
    String tenant = newId();
    String concept = newId();
    assertThat(reads.appliedPosition("concepts", concept)).isEqualTo(-1L);

    testGraph.apply(create("concepts", concept, 10, row("id", concept, "tenant_id", tenant, "name", "graphs")));
    assertThat(reads.appliedPosition("concepts", concept)).isEqualTo(10L);

    testGraph.apply(delete("concepts", concept, 20, row("id", concept, "tenant_id", tenant)));
    assertThat(reads.appliedPosition("concepts", concept)).isEqualTo(20L);
  }

  @Test
  void givenAPlaceholderOnly_itReportsNothingApplied() {
    String tenant = newId();
    String item = newId();
    String missingThread = newId();
    testGraph.apply(create("messages", item, 10,
        row("id", item, "tenant_id", tenant, "thread_id", missingThread)));

    assertThat(reads.appliedPosition("messages", item)).isEqualTo(10L);
    assertThat(reads.appliedPosition("threads", missingThread)).isEqualTo(-1L);
  }

  @Test
  void givenAJoinRowWrittenThenDeleted_itReportsTheRelationshipsPosition() {
    String tenant = newId();
    String item = newId();
    String concept = newId();
    String key = item + "|" + concept;
    testGraph.apply(create("content_item_concepts", key, 30,
        row("content_item_id", item, "concept_id", concept, "tenant_id", tenant, "weight", "0.5")));
    assertThat(reads.appliedPosition("content_item_concepts", key)).isEqualTo(30L);

    testGraph.apply(delete("content_item_concepts", key, 40,
        row("content_item_id", item, "concept_id", concept, "tenant_id", tenant)));
    assertThat(reads.appliedPosition("content_item_concepts", key)).isEqualTo(40L);
  }

  @Test
  void givenAnUnmappedTableOrABadJoinKey_itFailsNonRetryably() {
    assertThatThrownBy(() -> reads.appliedPosition("audit_log", "1"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue());
    assertThatThrownBy(() -> reads.appliedPosition("content_item_concepts", "only-one-id"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("InvalidData"));
  }
}
