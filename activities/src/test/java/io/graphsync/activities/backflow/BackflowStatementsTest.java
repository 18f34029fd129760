package io.graphsync.activities.backflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackflowStatementsTest {

  private static final BackflowCases CASES = new BackflowCases(ResolvedContextNexus.mapping());

  @Test
  void givenTheSampleCases_whenTheSchemaIsPlanned_itIndexesNeo4jModifiedAtPerLabelAndType() {
    assertThat(BackflowSchema.statements(ResolvedContextNexus.mapping())).containsExactly(
        "CREATE INDEX `graphsync_backflow_Concept_modified` IF NOT EXISTS FOR (n:`Concept`) ON (n.neo4jModifiedAt)",
        "CREATE INDEX `graphsync_backflow_RELATED_TO_modified` IF NOT EXISTS FOR ()-[r:`RELATED_TO`]-() "
            + "ON (r.neo4jModifiedAt)");
  }

  @Test
  void givenACase_whenPolled_itReadsByTheIndexedTimeAndOnlyWhatIsAheadOfItsBackflowVersion() {
    String nodes = BackflowActivitiesImpl.pollQuery(CASES.byName("Concept").orElseThrow());
    String relationships = BackflowActivitiesImpl.pollQuery(CASES.byName("RELATED_TO").orElseThrow());

    assertThat(nodes).startsWith("MATCH (n:`Concept`)\nWHERE n.neo4jModifiedAt >= $since AND n.neo4jVersion > "
        + "coalesce(n.backflowVersion, 0)").endsWith("ORDER BY n.neo4jModifiedAt LIMIT $limit");
    assertThat(relationships).startsWith("MATCH (a:`Concept`)-[r:`RELATED_TO`]->(b:`Concept`)\n"
        + "WHERE r.neo4jModifiedAt >= $since");
  }

  @Test
  void givenTheNodeCase_whenResolved_itWritesOnlyTheDeclaredProperties() {
    assertThat(CASES.byName("Concept").orElseThrow().columns()).extracting(c -> c.column())
        .containsExactly("name", "description");
    assertThat(CASES.byTable("concept_relations").orElseThrow().columns()).extracting(c -> c.column())
        .containsExactly("score");
  }

  @Test
  void givenAnEcho_whenItsOriginIsRead_itIsTheNeo4jVersionTheBackflowWroteFrom() {
    Map<String, Object> data = new HashMap<>(Map.of("id", "c-1", "sync_origin", "neo4j:7"));
    assertThat(GraphStampActivitiesImpl.originVersion(event(data))).isEqualTo(7L);
    data.put("sync_origin", "someone else");
    assertThat(GraphStampActivitiesImpl.originVersion(event(data))).isNull();
    assertThat(GraphStampActivitiesImpl.originVersion(event(null))).isNull();
  }

  private static ChangeEvent event(Map<String, Object> data) {
    return ChangeEvent.builder(EventSource.NEO4J, EventType.UPDATE).entity("concepts", "Concept", "c-1")
        .timestamp(Instant.EPOCH).data(data).version(2L).position(1).build();
  }
}
