package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.Await;
import io.graphsync.workflows.mapping.GraphMapping;
import io.temporal.client.WorkflowClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.neo4j.driver.Driver;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The whole product on the real stack: rows committed in PostgreSQL reach Neo4j through the capture, one
 * workflow per change on the real Temporal dev server, and the graph equals the mapped PostgreSQL state.
 * Each test works in its own tenant, so tests do not see each other's data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncEndToEndIT extends StackIT {

  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);

  @Autowired
  Driver driver;

  @Autowired
  GraphMapping mapping;

  @Autowired
  WorkflowClient workflowClient;

  private int execute(String statement, Object... args) throws SQLException {
    return sql.execute(statement, args);
  }

  private long count(String query, Object... args) throws SQLException {
    return sql.count(query, args);
  }

  /** Waits until the graph equals the mapped PostgreSQL state of the tenant, then asserts it (with a diff). */
  private void assertGraphConverges(UUID tenant) throws Exception {
    Instant deadline = Instant.now().plus(DRAIN_TIMEOUT);
    GraphSnapshot expected = GraphSnapshot.expected(dataSource, mapping, tenant.toString());
    GraphSnapshot actual = GraphSnapshot.actual(driver, mapping, tenant.toString());
    while (!expected.equals(actual) && Instant.now().isBefore(deadline)) {
      Thread.sleep(250);
      expected = GraphSnapshot.expected(dataSource, mapping, tenant.toString());
      actual = GraphSnapshot.actual(driver, mapping, tenant.toString());
    }
    assertThat(actual.nodes()).isEqualTo(expected.nodes());
    assertThat(actual.relationships()).isEqualTo(expected.relationships());
  }

  private long syncWorkflows(String query) {
    return workflowClient.listExecutions("WorkflowType = 'SyncChangeEventWorkflow' AND " + query).count();
  }

  private UUID tenant() throws SQLException {
    UUID tenant = UUID.randomUUID();
    execute("INSERT INTO tenants (id, name, settings) VALUES (?, ?, ?::jsonb)", tenant, "tenant " + tenant,
        "{\"region\": \"eu\", \"features\": [\"graph\"]}");
    return tenant;
  }

  @Test
  void givenChangesOnEveryMappedTable_whenTheyDrain_itMakesTheGraphEqualToTheMappedRows() throws Exception {
    UUID tenant = tenant();
    UUID alice = UUID.randomUUID();
    UUID bob = UUID.randomUUID();
    execute("INSERT INTO users (id, tenant_id, email, display_name, roles) VALUES (?, ?, ?, ?, ?::text[])",
        alice, tenant, "alice@example.com", "Alice", "{admin,editor}");
    execute("INSERT INTO users (id, tenant_id, email, display_name) VALUES (?, ?, ?, ?)",
        bob, tenant, "bob@example.com", "Bob");
    UUID thread1 = UUID.randomUUID();
    UUID thread2 = UUID.randomUUID();
    execute("INSERT INTO threads (id, tenant_id, created_by, title) VALUES (?, ?, ?, ?)", thread1, tenant, alice, "T1");
    execute("INSERT INTO threads (id, tenant_id, created_by, title) VALUES (?, ?, ?, ?)", thread2, tenant, bob, "T2");
    UUID message = UUID.randomUUID();
    execute("INSERT INTO messages (id, tenant_id, thread_id, author_id, body) VALUES (?, ?, ?, ?, ?)",
        message, tenant, thread1, alice, "hello graph");
    UUID item = UUID.randomUUID();
    execute("INSERT INTO content_items (id, tenant_id, message_id, title, metadata, body, score, tags) "
            + "VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?::text[])",
        item, tenant, message, "Doc", "{\"source\": \"upload\", \"pages\": 3}", "short body", 0.75, "{a,b}");
    UUID concept1 = UUID.randomUUID();
    UUID concept2 = UUID.randomUUID();
    execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?, ?, ?)", concept1, tenant, "graphs");
    execute("INSERT INTO concepts (id, tenant_id, name, description) VALUES (?, ?, ?, ?)", concept2, tenant, "cdc",
        "change data capture");
    execute("INSERT INTO content_item_concepts (content_item_id, concept_id, tenant_id, weight) VALUES (?, ?, ?, ?)",
        item, concept1, tenant, 0.9);
    execute("INSERT INTO content_item_concepts (content_item_id, concept_id, tenant_id, weight) VALUES (?, ?, ?, ?)",
        item, concept2, tenant, 0.4);
    assertGraphConverges(tenant);

    // updates on every table, an FK change (the message moves to thread 2), a join-row update and delete, deletes
    execute("UPDATE tenants SET plan = 'pro' WHERE id = ?", tenant);
    execute("UPDATE users SET display_name = 'Alice A.', roles = '{admin}' WHERE id = ?", alice);
    execute("UPDATE threads SET title = 'T1 renamed' WHERE id = ?", thread1);
    execute("UPDATE messages SET thread_id = ?, body = 'moved' WHERE id = ?", thread2, message);
    execute("UPDATE content_items SET score = 0.5, metadata = '{\"source\": \"edit\"}' WHERE id = ?", item);
    execute("UPDATE concepts SET description = 'graph theory' WHERE id = ?", concept1);
    execute("UPDATE content_item_concepts SET weight = 0.95 WHERE content_item_id = ? AND concept_id = ?",
        item, concept1);
    execute("DELETE FROM content_item_concepts WHERE content_item_id = ? AND concept_id = ?", item, concept2);
    execute("DELETE FROM concepts WHERE id = ?", concept2);
    assertGraphConverges(tenant);

    assertThat(driver.executableQuery("MATCH (:Message {id: $m})-[:IN_THREAD]->(t:Thread) RETURN t.id AS t")
        .withParameters(Map.of("m", message.toString())).execute().records())
        .extracting(r -> r.get("t").asString()).containsExactly(thread2.toString());
  }

  @Test
  void givenSyncedRows_whenStatusIsWrittenBack_itIsSuccessForTheSyncedVersionAndStartsNoFurtherSync()
      throws Exception {
    UUID tenant = tenant();
    UUID concept = UUID.randomUUID();
    execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?, ?, ?)", concept, tenant, "v1");
    execute("UPDATE concepts SET name = 'v2' WHERE id = ?", concept);
    assertGraphConverges(tenant);

    Await.until("the concept is SUCCESS", DRAIN_TIMEOUT,
        () -> count("SELECT count(*) FROM concepts WHERE id = ? AND sync_status = 'SUCCESS'", concept) > 0);
    assertThat(count("SELECT pg_version FROM concepts WHERE id = ? AND sync_status = 'SUCCESS' "
        + "AND last_sync_timestamp IS NOT NULL AND neo4j_node_id IS NOT NULL", concept)).isEqualTo(2);

    // two business changes, two workflows; the SUCCESS write-backs started none
    Await.until("visibility lists both syncs", DRAIN_TIMEOUT,
        () -> syncWorkflows("EntityId = '" + concept + "'") >= 2);
    Await.staysTrue("two syncs, none started by the write-backs", Duration.ofSeconds(2),
        () -> syncWorkflows("EntityId = '" + concept + "'") == 2);
    assertThat(syncWorkflows("EntityId = '" + concept + "' AND ExecutionStatus = 'Running'")).isZero();
    assertThat(driver.executableQuery("MATCH (c:Concept {id: $id}) RETURN c.pgVersion AS v")
        .withParameters(Map.of("id", concept.toString())).execute().records().get(0).get("v").asLong())
        .isEqualTo(2);
  }

  @Test
  void givenALargeToastedBody_whenAnotherColumnChanges_itKeepsTheBodyAndNeverWritesThePlaceholder()
      throws Exception {
    UUID tenant = tenant();
    UUID item = UUID.randomUUID();
    StringBuilder body = new StringBuilder();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (body.length() < 20_000) {
      body.append(Long.toString(random.nextLong(), 36));
    }
    execute("INSERT INTO content_items (id, tenant_id, title, body) VALUES (?, ?, ?, ?)", item, tenant, "big",
        body.toString());
    execute("UPDATE content_items SET title = 'big, renamed' WHERE id = ?", item);
    assertGraphConverges(tenant);

    assertThat(driver
        .executableQuery("MATCH (n) WHERE any(k IN keys(n) WHERE n[k] = $placeholder) RETURN count(n) AS c")
        .withParameters(Map.of("placeholder", "__debezium_unavailable_value")).execute().records().get(0)
        .get("c").asLong()).isZero();
  }

  /**
   * Last: a 10,000-row transaction is grouped into SyncBatchWorkflows on sync-bulk (a few changes of its first
   * Debezium batch may start alone); a tenant created meanwhile takes the sync-critical lane and is not held up.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void givenATenThousandRowTransaction_whenItDrains_itArrivesCompleteInBatchesAndCriticalChangesPassIt()
      throws Exception {
    UUID tenant = tenant();
    Instant committed;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(
          "INSERT INTO concepts (id, tenant_id, name) SELECT gen_random_uuid(), ?, 'concept ' || i "
              + "FROM generate_series(1, 10000) AS i")) {
        statement.setObject(1, tenant);
        assertThat(statement.executeUpdate()).isEqualTo(10_000);
      }
      connection.commit();
      committed = Instant.now();
    }
    // a critical change right behind the bulk: its own workflow on sync-critical, in the graph long before the bulk
    UUID critical = UUID.randomUUID();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?, 'critical during bulk')", critical);
    Await.until("the critical change is in the graph", Duration.ofSeconds(60), () -> tenantInGraph(critical));
    String criticalQuery = "WorkflowType = 'SyncChangeEventWorkflow' AND EntityId = '" + critical + "'";
    // visibility follows the start with a short lag
    Await.until("visibility lists the critical change's sync", Duration.ofSeconds(30),
        () -> workflowClient.listExecutions(criticalQuery).count() > 0);
    assertThat(workflowClient.listExecutions(criticalQuery).map(w -> w.getTaskQueue()).toList())
        .containsExactly("sync-critical");

    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    long inGraph = Await.until("the 10,000 concepts are in the graph", Duration.between(Instant.now(), deadline),
        () -> driver.executableQuery("MATCH (c:Concept {tenantId: $t}) RETURN count(c) AS c")
            .withParameters(Map.of("t", tenant.toString())).execute().records().get(0).get("c").asLong(),
        count -> count >= 10_000);
    assertThat(inGraph).isEqualTo(10_000);
    assertGraphConverges(tenant);
    // and every workflow finished its write-back: the graph converges before the last recordSyncStatus tasks run,
    // and a backlog of those on sync-default would delay whatever the next test starts there by minutes
    Await.until("every row is marked SUCCESS", Duration.between(Instant.now(), deadline),
        () -> count("SELECT count(*) FROM concepts WHERE tenant_id = ? AND sync_status <> 'SUCCESS'", tenant) == 0);
    Await.until("no sync of the tenant runs", Duration.ofMinutes(5),
        () -> syncWorkflows("TenantId = '" + tenant + "' AND ExecutionStatus = 'Running'") == 0);
    assertThat(syncWorkflows("TenantId = '" + tenant + "' AND ExecutionStatus = 'Running'")).isZero();
    assertThat(syncWorkflows("TenantId = '" + tenant + "'")).as("changes that started alone").isLessThan(1000);
    long batches = workflowClient.listExecutions("WorkflowType = 'SyncBatchWorkflow' AND StartTime >= '"
        + committed.minusSeconds(5) + "'").count();
    assertThat(batches).as("SyncBatchWorkflows of the transaction").isGreaterThanOrEqualTo(18);
  }

  private boolean tenantInGraph(UUID id) {
    return !driver.executableQuery("MATCH (t:Tenant {id: $id}) RETURN t.id").withParameters(Map.of("id",
        id.toString())).execute().records().isEmpty();
  }
}
