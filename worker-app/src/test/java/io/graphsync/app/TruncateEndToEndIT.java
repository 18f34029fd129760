package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.Await;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * TRUNCATE through the real application: the capture starts a TruncateWorkflow, which removes the truncated join
 * table's relationships from the graph with tombstones; a row inserted after the truncate is synced as usual.
 */
class TruncateEndToEndIT extends StackIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Autowired
  Driver driver;

  @Autowired
  WorkflowClient workflowClient;

  @Test
  void givenAJoinTableInTheGraph_whenItIsTruncated_itsRelationshipsGoAndLaterRowsComeBack() throws Exception {
    String tenant = UUID.randomUUID().toString();
    String item = UUID.randomUUID().toString();
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'truncated')", tenant);
    sql.execute("INSERT INTO content_items (id, tenant_id, title) VALUES (?::uuid, ?::uuid, 'doc')", item,
        tenant);
    for (String concept : List.of(first, second)) {
      sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, 'c')", concept,
          tenant);
      sql.execute("INSERT INTO content_item_concepts (content_item_id, concept_id, tenant_id, weight) "
          + "VALUES (?::uuid, ?::uuid, ?::uuid, 0.5)", item, concept, tenant);
    }
    Await.until("both MENTIONS are in the graph", TIMEOUT, () -> mentions(item) == 2);

    sql.execute("TRUNCATE content_item_concepts");

    Await.until("the TRUNCATE removed the MENTIONS", TIMEOUT, () -> mentions(item) == 0);
    // visibility follows the workflow's completion with a short lag
    Await.until("visibility lists the completed TruncateWorkflow", TIMEOUT, () -> workflowClient.listExecutions(
        "WorkflowType = 'TruncateWorkflow' AND ExecutionStatus = 'Completed'").count() >= 1);
    assertThat(tombstonePosition("MENTIONS:" + item + "|" + first)).isPositive();
    assertThat(concepts(tenant)).as("the concepts themselves stay").isEqualTo(2);

    sql.execute("INSERT INTO content_item_concepts (content_item_id, concept_id, tenant_id, weight) "
        + "VALUES (?::uuid, ?::uuid, ?::uuid, 0.7)", item, second, tenant);
    Await.until("the new MENTIONS is in the graph", TIMEOUT, () -> mentions(item) == 1);
  }

  private long mentions(String item) {
    return driver.executableQuery("MATCH (:ContentItem {id: $id})-[r:MENTIONS]->() RETURN count(r) AS c")
        .withParameters(Map.of("id", item)).execute().records().get(0).get("c").asLong();
  }

  private long concepts(String tenant) {
    return driver.executableQuery("MATCH (c:Concept {tenantId: $t}) RETURN count(c) AS c")
        .withParameters(Map.of("t", tenant)).execute().records().get(0).get("c").asLong();
  }

  private long tombstonePosition(String key) {
    return driver.executableQuery("MATCH (t:GraphsyncTombstone {key: $key}) RETURN t.position AS p")
        .withParameters(Map.of("key", key)).execute().records().get(0).get("p").asLong();
  }
}
