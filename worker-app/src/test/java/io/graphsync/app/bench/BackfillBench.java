package io.graphsync.app.bench;

import io.graphsync.activities.schema.SchemaMigrations;
import io.graphsync.dev.PostgresServer;
import io.graphsync.starters.bulk.BackfillStarter;
import io.graphsync.workflows.bulk.BackfillRequest;
import io.graphsync.workflows.bulk.BackfillSummary;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.neo4j.driver.Driver;

/**
 * The backfill part of the benchmark: rows that exist before the capture's slot (so no change of theirs is
 * captured), loaded by one {@code BackfillWorkflow} through worker-app.
 */
final class BackfillBench {

  /** How many rows of each table a seed of {@code rows} makes: concepts 1/2, content items 1/4, join rows 1/4. */
  record Seed(int tenants, int concepts, int contentItems, int links) {
    static Seed of(int rows) {
      int tenants = Math.max(1, Math.min(100, rows / 100));
      int rest = Math.max(0, rows - tenants);
      return new Seed(tenants, rest / 2, rest / 4, rest - rest / 2 - rest / 4);
    }

    int total() {
      return tenants + concepts + contentItems + links;
    }
  }

  /** The result: rows loaded, seconds, rows/s, and what the graph holds afterwards. */
  record Result(BackfillSummary summary, double seconds, double rowsPerSecond, long nodes, long links,
      List<Long> criticalLagsMillis) {}

  private BackfillBench() {}

  /** Migrates and inserts the rows in a few set-based statements; run before worker-app starts its capture. */
  static Seed seed(PostgresServer postgres, int rows) throws SQLException {
    SchemaMigrations.migrate(postgres.dataSource(), true);
    Seed seed = Seed.of(rows);
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.settings().user(),
        postgres.settings().password()); Statement s = c.createStatement()) {
      s.execute("INSERT INTO tenants (id, name) SELECT gen_random_uuid(), 'seeded ' || i "
          + "FROM generate_series(1, " + seed.tenants() + ") i");
      s.execute("CREATE TEMP TABLE seed_tenants AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS n "
          + "FROM tenants");
      s.execute("INSERT INTO concepts (id, tenant_id, name, description) SELECT gen_random_uuid(), t.id, "
          + "'concept ' || i, 'seeded concept number ' || i FROM generate_series(1, " + seed.concepts() + ") i "
          + "JOIN seed_tenants t ON t.n = i % " + seed.tenants());
      s.execute("INSERT INTO content_items (id, tenant_id, title, metadata, score, tags) SELECT gen_random_uuid(), "
          + "t.id, 'item ' || i, '{\"seeded\": true}', 0.5, '{a,b}' FROM generate_series(1, " + seed.contentItems()
          + ") i JOIN seed_tenants t ON t.n = i % " + seed.tenants());
      s.execute("INSERT INTO content_item_concepts (content_item_id, concept_id, tenant_id, weight) "
          + "SELECT ci.id, co.id, ci.tenant_id, 0.5 FROM "
          + "(SELECT id, tenant_id, row_number() OVER (ORDER BY id) AS r FROM content_items) ci JOIN "
          + "(SELECT id, row_number() OVER (ORDER BY id) AS r FROM concepts) co ON co.r = ci.r "
          + "LIMIT " + seed.links());
      s.execute("ANALYZE");
    }
    return seed;
  }

  /**
   * Backfills every mapped table and waits for it; meanwhile creates a tenant (routed to sync-critical) every
   * {@code criticalEveryMillis} and measures each one's lag, commit to graph.
   */
  static Result run(BackfillStarter starter, WorkflowClient client, Driver driver, PostgresServer postgres,
      long criticalEveryMillis) throws Exception {
    long started = System.nanoTime();
    WorkflowExecution execution = starter.start(BackfillRequest.all());
    CompletableFuture<BackfillSummary> done = CompletableFuture.supplyAsync(() -> {
      try {
        return client.newUntypedWorkflowStub(execution.getWorkflowId())
            .getResult(60, TimeUnit.MINUTES, BackfillSummary.class);
      } catch (TimeoutException e) {
        throw new IllegalStateException(e);
      }
    });
    Map<String, Long> critical = new HashMap<>();
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.settings().user(),
        postgres.settings().password());
         PreparedStatement insert = c.prepareStatement("INSERT INTO tenants (id, name) VALUES (?, 'critical')")) {
      while (!done.isDone()) {
        UUID id = UUID.randomUUID();
        insert.setObject(1, id);
        insert.executeUpdate();
        critical.put(id.toString(), System.currentTimeMillis());
        Thread.sleep(criticalEveryMillis);
      }
    }
    BackfillSummary summary = done.get();
    double seconds = (System.nanoTime() - started) / 1e9;
    long nodes = driver.executableQuery("MATCH (n) WHERE n.placeholder IS NULL AND NOT n:GraphsyncTombstone "
        + "RETURN count(n) AS c").execute().records().get(0).get("c").asLong();
    long links = driver.executableQuery("MATCH ()-[r:MENTIONS]->() RETURN count(r) AS c").execute().records().get(0)
        .get("c").asLong();
    return new Result(summary, seconds, summary.counts().rows() / seconds, nodes, links,
        LoadBench.lags(driver, "Tenant", critical));
  }
}
