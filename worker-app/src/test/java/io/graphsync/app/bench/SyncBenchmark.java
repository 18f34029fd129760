package io.graphsync.app.bench;

import io.graphsync.app.GraphsyncApplication;
import io.graphsync.dev.DevStack;
import io.graphsync.dev.Neo4jServer;
import io.graphsync.dev.PayloadKeyFile;
import io.graphsync.dev.PostgresServer;
import io.graphsync.dev.TemporalDevServer;
import io.graphsync.starters.bulk.BackfillStarter;
import io.temporal.client.WorkflowClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sync benchmark: {@code temporal-dev/bin/benchmark [changes]}. On fresh real servers (free ports), it
 * measures the ceilings (a bare two-activity workflow on the same Temporal dev server; batched UNWIND MERGE and
 * one MERGE per transaction into the same Neo4j), then commits N mixed changes over the sample schema through
 * worker-app and reports throughput (first commit → last change visible in Neo4j) and lag percentiles (Neo4j
 * apply time − PostgreSQL commit time of each entity's last change), and the ratios to the ceilings. Before that,
 * rows seeded before the capture's slot exists are loaded by one backfill ({@code [changes] [backfillRows]},
 * default 100,000 rows; 0 skips it), against the UNWIND ceiling of the same run. After the burst: one large
 * transaction ({@code [largeTransactionRows]}, default 50,000) end to end with sync-critical changes (new tenants)
 * every 500 ms while it drains, and 30 s of a steady 20 changes/s; and the peak heap of the JVM.
 */
public final class SyncBenchmark {

  private record Change(String label, String id, long committedAtMillis, boolean delete) {}

  public static void main(String[] args) throws Exception {
    int changes = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int backfillRows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int largeTransactionRows = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
    LoadBench.HeapPeak heap = new LoadBench.HeapPeak().start();
    PostgresServer postgres = DevStack.shared().postgres();
    Neo4jServer neo4j = DevStack.shared().neo4j();
    TemporalDevServer temporal = DevStack.shared().temporal();
    System.out.printf("servers: PostgreSQL %s, Neo4j %s, Temporal %s%n", postgres.jdbcUrl(), neo4j.boltUri(),
        temporal.address());

    BackfillBench.Seed seed = backfillRows > 0 ? BackfillBench.seed(postgres, backfillRows) : null;
    if (seed != null) {
      System.out.printf("seeded %d rows before the capture starts (tenants %d, concepts %d, content items %d, "
          + "links %d)%n", seed.total(), seed.tenants(), seed.concepts(), seed.contentItems(), seed.links());
    }
    ConfigurableApplicationContext app = SpringApplication.run(GraphsyncApplication.class,
        "--spring.datasource.url=" + postgres.jdbcUrl(),
        "--spring.datasource.username=" + postgres.settings().user(),
        "--spring.datasource.password=" + postgres.settings().password(),
        "--spring.neo4j.uri=" + neo4j.boltUri(),
        "--spring.neo4j.authentication.password=" + neo4j.password(),
        "--spring.temporal.connection.target=" + temporal.address(),
        "--graphsync.security.payload-encryption.key-files=" + PayloadKeyFile.forTests(),
        "--server.port=0",
        "--logging.level.root=WARN");
    try {
      Driver driver = app.getBean(Driver.class);
      WorkflowClient client = app.getBean(WorkflowClient.class);

      double bare = Ceilings.bareWorkflowRate(client, 1000);
      System.out.printf(Locale.ROOT, "measured: bare 2-activity workflows %.1f wf/s%n", bare);
      double unwind = Ceilings.unwindMergeRate(driver, 20_000);
      System.out.printf(Locale.ROOT, "measured: UNWIND MERGE x1000 %.0f nodes/s%n", unwind);
      double single = Ceilings.singleMergeTxRate(driver, 500);
      System.out.printf(Locale.ROOT, "measured: 1 MERGE per transaction %.1f tx/s%n", single);

      BackfillBench.Result backfill = seed == null ? null
          : BackfillBench.run(app.getBean(BackfillStarter.class), client, driver, postgres, 500);
      if (backfill != null) {
        System.out.printf(Locale.ROOT, "measured: backfill %d rows in %.1f s = %.0f rows/s (graph: %d nodes, %d "
            + "MENTIONS)%n", backfill.summary().counts().rows(), backfill.seconds(), backfill.rowsPerSecond(),
            backfill.nodes(), backfill.links());
      }

      List<Change> log = commitMixedChanges(postgres, changes);
      long first = log.get(0).committedAtMillis();
      Map<String, Change> last = new HashMap<>();
      log.forEach(change -> last.put(change.label() + ":" + change.id(), change));
      long visibleAt = awaitVisible(driver, last, 600_000);
      List<Long> lags = lags(driver, last);

      double seconds = (visibleAt - first) / 1000.0;
      double rate = log.size() / seconds;

      LoadBench.LargeTransaction large = largeTransactionRows <= 0 ? null
          : LoadBench.largeTransaction(postgres, driver, largeTransactionRows, 500);
      LoadBench.Steady steady = LoadBench.steady(postgres, driver, 20, 30);
      System.out.println();
      System.out.println("=== graphsync sync benchmark ===");
      System.out.printf(Locale.ROOT, "changes committed          %d (%d entities)%n", log.size(), last.size());
      System.out.printf(Locale.ROOT, "burst throughput           %.1f changes/s (%.1f s first commit -> last visible; "
          + "target >= 244, 10x the per-change path's 24.4)%n",
          rate, seconds);
      System.out.printf(Locale.ROOT, "burst lag p50 / p95 / p99 / max  %d / %d / %d / %d ms (target p99 <= 5000)%n",
          percentile(lags, 50),
          percentile(lags, 95), percentile(lags, 99), lags.get(lags.size() - 1));
      System.out.printf(Locale.ROOT, "ceiling: bare 2-activity workflows   %.1f wf/s  -> sync reaches %.0f%%%n",
          bare, 100 * rate / bare);
      System.out.printf(Locale.ROOT, "ceiling: Neo4j 1 MERGE/transaction   %.1f tx/s  -> sync reaches %.0f%%%n",
          single, 100 * rate / single);
      System.out.printf(Locale.ROOT, "ceiling: Neo4j UNWIND MERGE x1000    %.0f nodes/s -> sync reaches %.1f%%%n",
          unwind, 100 * rate / unwind);
      if (large != null) {
        System.out.printf(Locale.ROOT, "large transaction          %d rows: last row in the graph after %.1f s, every "
            + "row SUCCESS after %.1f s (target <= 60 s)%n", large.rows(), large.visibleSeconds(),
            large.successSeconds());
        System.out.printf(Locale.ROOT, "sync-critical behind it    %d changes, lag p50 / p99 / max  %d / %d / %d ms "
            + "(committed after the transaction: the capture reads the WAL in order, so they wait for it)%n",
            large.criticalLagsMillis().size(),
            LoadBench.percentile(large.criticalLagsMillis(), 50), LoadBench.percentile(large.criticalLagsMillis(), 99),
            LoadBench.percentile(large.criticalLagsMillis(), 100));
      }
      System.out.printf(Locale.ROOT, "steady %.1f changes/s       %d changes, lag p50 / p99 / max  %d / %d / %d ms "
          + "(target p99 <= 1000)%n", steady.ratePerSecond(), steady.changes(),
          LoadBench.percentile(steady.lagsMillis(), 50), LoadBench.percentile(steady.lagsMillis(), 99),
          LoadBench.percentile(steady.lagsMillis(), 100));
      System.out.printf(Locale.ROOT, "peak heap (benchmark JVM, worker-app inside)  %d MB (target <= 1024)%n",
          heap.peak() / (1024 * 1024));
      if (backfill != null) {
        System.out.printf(Locale.ROOT, "backfill                   %d rows in %.1f s = %.0f rows/s -> %.2f x the "
            + "UNWIND ceiling (target >= 0.5)%n", backfill.summary().counts().rows(), backfill.seconds(),
            backfill.rowsPerSecond(), backfill.rowsPerSecond() / unwind);
        System.out.printf(Locale.ROOT, "sync-critical during the backfill  %d changes, lag p50 / p99 / max  %d / %d / "
            + "%d ms (target p99 <= 2000)%n", backfill.criticalLagsMillis().size(),
            LoadBench.percentile(backfill.criticalLagsMillis(), 50),
            LoadBench.percentile(backfill.criticalLagsMillis(), 99),
            LoadBench.percentile(backfill.criticalLagsMillis(), 100));
      }
    } catch (Exception | Error e) {
      e.printStackTrace();
      app.close();
      System.exit(1);
    }
    app.close();
    System.exit(0);
  }

  /** Inserts, updates and deletes over all sample tables, committed one by one as fast as one client can. */
  private static List<Change> commitMixedChanges(PostgresServer postgres, int target) throws SQLException {
    List<Change> log = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.settings().user(),
        postgres.settings().password())) {
      while (log.size() < target) {
        UUID tenant = UUID.randomUUID();
        exec(connection, "INSERT INTO tenants (id, name) VALUES (?, 'bench')", tenant);
        log.add(new Change("Tenant", tenant.toString(), System.currentTimeMillis(), false));
        UUID user = UUID.randomUUID();
        exec(connection, "INSERT INTO users (id, tenant_id, email) VALUES (?, ?, 'u@example.com')", user, tenant);
        log.add(new Change("User", user.toString(), System.currentTimeMillis(), false));
        UUID thread = UUID.randomUUID();
        exec(connection, "INSERT INTO threads (id, tenant_id, created_by, title) VALUES (?, ?, ?, 't')", thread,
            tenant, user);
        log.add(new Change("Thread", thread.toString(), System.currentTimeMillis(), false));
        for (int m = 0; m < 3; m++) {
          UUID message = UUID.randomUUID();
          exec(connection, "INSERT INTO messages (id, tenant_id, thread_id, author_id, body) "
              + "VALUES (?, ?, ?, ?, 'hello')", message, tenant, thread, user);
          log.add(new Change("Message", message.toString(), System.currentTimeMillis(), false));
          UUID item = UUID.randomUUID();
          exec(connection, "INSERT INTO content_items (id, tenant_id, message_id, title, metadata, score) "
              + "VALUES (?, ?, ?, 'doc', '{\"k\": 1}', 0.5)", item, tenant, message);
          log.add(new Change("ContentItem", item.toString(), System.currentTimeMillis(), false));
          UUID concept = UUID.randomUUID();
          exec(connection, "INSERT INTO concepts (id, tenant_id, name) VALUES (?, ?, 'c')", concept, tenant);
          log.add(new Change("Concept", concept.toString(), System.currentTimeMillis(), false));
          exec(connection, "INSERT INTO content_item_concepts (content_item_id, concept_id, tenant_id, weight) "
              + "VALUES (?, ?, ?, 0.7)", item, concept, tenant);
          exec(connection, "UPDATE content_items SET title = 'doc v2' WHERE id = ?", item);
          log.add(new Change("ContentItem", item.toString(), System.currentTimeMillis(), false));
          exec(connection, "UPDATE concepts SET name = 'c v2' WHERE id = ?", concept);
          log.add(new Change("Concept", concept.toString(), System.currentTimeMillis(), false));
        }
        UUID doomed = UUID.randomUUID();
        exec(connection, "INSERT INTO concepts (id, tenant_id, name) VALUES (?, ?, 'doomed')", doomed, tenant);
        log.add(new Change("Concept", doomed.toString(), System.currentTimeMillis(), false));
        exec(connection, "DELETE FROM concepts WHERE id = ?", doomed);
        log.add(new Change("Concept", doomed.toString(), System.currentTimeMillis(), true));
      }
    }
    return log;
  }

  private static void exec(Connection connection, String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      statement.executeUpdate();
    }
  }

  /** Polls until every entity's last change is in the graph; returns the wall-clock time it was first seen so. */
  private static long awaitVisible(Driver driver, Map<String, Change> last, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      if (missing(driver, last) == 0) {
        return latestApply(driver, last);
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(missing(driver, last) + " changes still not in the graph after "
        + timeoutMillis / 1000 + " s");
  }

  private static long missing(Driver driver, Map<String, Change> last) {
    long done = 0;
    for (Map.Entry<String, List<Map<String, Object>>> group : keysByLabel(last).entrySet()) {
      Record record = driver.executableQuery("UNWIND $keys AS k "
              + "OPTIONAL MATCH (n:`" + group.getKey() + "` {id: k.id}) "
              + "OPTIONAL MATCH (t:GraphsyncTombstone {key: $label + ':' + k.id}) "
              + "RETURN sum(CASE WHEN NOT k.delete AND n IS NOT NULL AND n.placeholder IS NULL THEN 1 "
              + "WHEN k.delete AND n IS NULL AND t IS NOT NULL THEN 1 ELSE 0 END) AS done")
          .withParameters(Map.of("keys", group.getValue(), "label", group.getKey())).execute().records().get(0);
      done += record.get("done").asLong();
    }
    return last.size() - done;
  }

  /** Keys grouped by label; the labels are the benchmark's own, never data. */
  private static Map<String, List<Map<String, Object>>> keysByLabel(Map<String, Change> last) {
    Map<String, List<Map<String, Object>>> keys = new HashMap<>();
    last.values().forEach(c -> keys.computeIfAbsent(c.label(), l -> new ArrayList<>())
        .add(Map.of("id", c.id(), "delete", c.delete())));
    return keys;
  }

  private static long latestApply(Driver driver, Map<String, Change> last) {
    return lagsAndApplyTimes(driver, last).stream().mapToLong(pair -> pair[1]).max().orElseThrow();
  }

  private static List<Long> lags(Driver driver, Map<String, Change> last) {
    List<Long> lags = new ArrayList<>();
    lagsAndApplyTimes(driver, last).forEach(pair -> lags.add(pair[0]));
    lags.sort(Long::compare);
    return lags;
  }

  /** For each entity: {lag, apply time}: node.lastSyncedAt or tombstone.deletedAt minus the commit time. */
  private static List<long[]> lagsAndApplyTimes(Driver driver, Map<String, Change> last) {
    List<long[]> result = new ArrayList<>();
    for (Map.Entry<String, List<Map<String, Object>>> group : keysByLabel(last).entrySet()) {
      for (Record record : driver.executableQuery("UNWIND $keys AS k "
              + "OPTIONAL MATCH (n:`" + group.getKey() + "` {id: k.id}) "
              + "OPTIONAL MATCH (t:GraphsyncTombstone {key: $label + ':' + k.id}) "
              + "RETURN k.id AS id, CASE WHEN k.delete THEN t.deletedAt ELSE n.lastSyncedAt END AS appliedAt")
          .withParameters(Map.of("keys", group.getValue(), "label", group.getKey())).execute().records()) {
        Change change = last.get(group.getKey() + ":" + record.get("id").asString());
        long appliedMillis = record.get("appliedAt").asZonedDateTime().toInstant().toEpochMilli();
        result.add(new long[] {appliedMillis - change.committedAtMillis(), appliedMillis});
      }
    }
    return result;
  }

  private static long percentile(List<Long> sorted, int percentile) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
  }
}
