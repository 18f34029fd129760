package io.graphsync.activities.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import io.graphsync.testing.GraphsyncExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;
import org.neo4j.driver.exceptions.ClientException;

@ExtendWith(GraphsyncExtension.class)
class GraphSchemaInitializerIT {

  @Test
  void givenDefaultMapping_whenInitializedTwice_itHasOneUniquenessConstraintPerLabelAndTombstone(Driver driver) {
    TestGraph testGraph = TestGraph.connect(driver);
    GraphSchemaInitializer initializer = new GraphSchemaInitializer(Neo4jTarget.of(testGraph.driver));

    initializer.initialize(ResolvedContextNexus.mapping());
    initializer.initialize(ResolvedContextNexus.mapping());

    List<String> constrained = testGraph.driver.executableQuery("""
            SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties
            WHERE name STARTS WITH 'graphsync_' AND type = 'UNIQUENESS'
            RETURN labelsOrTypes[0] + '.' + properties[0] AS constrained""")
        .execute().records().stream().map(r -> r.get("constrained").asString()).toList();
    assertThat(constrained).containsExactlyInAnyOrder("Tenant.id", "User.id", "Thread.id", "Message.id",
        "ContentItem.id", "Concept.id", "GraphsyncTombstone.key");
  }

  @Test
  void givenConstraint_whenASecondNodeWithTheSameIdIsCreated_itIsRejected(Driver driver) {
    TestGraph testGraph = TestGraph.connect(driver);
    String id = TestGraph.newId();
    testGraph.driver.executableQuery("CREATE (:Concept {id: $id})").withParameters(Map.of("id", id)).execute();

    assertThatThrownBy(() -> testGraph.driver
            .executableQuery("CREATE (:Concept {id: $id})").withParameters(Map.of("id", id)).execute())
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("already exists");
  }
}
