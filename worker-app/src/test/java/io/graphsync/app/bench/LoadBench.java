package io.graphsync.app.bench;

import io.graphsync.dev.PostgresServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;

/**
 * The load shapes of the benchmark besides the burst: one large transaction end to end, the lag of sync-critical
 * changes (tenants) while it drains, and a steady rate of small changes; plus the peak heap of the JVM (worker-app
 * runs in it).
 */
final class LoadBench {

  /** A large transaction: seconds from commit until its last row is in the graph, and until every row is SUCCESS. */
  record LargeTransaction(int rows, double visibleSeconds, double successSeconds, List<Long> criticalLagsMillis) {}

  /** A steady rate: changes committed, the lag of each (Neo4j apply time - commit time), sorted. */
  record Steady(int changes, double ratePerSecond, List<Long> lagsMillis) {}

  private LoadBench() {}

  /**
   * Commits {@code rows} concepts of a new tenant in one transaction, then one new tenant (routed to sync-critical)
   * every {@code criticalEveryMillis} while it drains; waits for the graph and the write-back.
   */
  static LargeTransaction largeTransaction(PostgresServer postgres, Driver driver, int rows, long criticalEveryMillis)
      throws Exception {
    UUID tenant = UUID.randomUUID();
    long committed;
    try (Connection c = connect(postgres)) {
      exec(c, "INSERT INTO tenants (id, name) VALUES (?, 'large transaction')", tenant);
      c.setAutoCommit(false);
      exec(c, "INSERT INTO concepts (id, tenant_id, name) SELECT gen_random_uuid(), ?, 'bulk ' || i "
          + "FROM generate_series(1, " + rows + ") AS i", tenant);
      c.commit();
      committed = System.currentTimeMillis();
    }
    Map<String, Long> critical = new HashMap<>();
    long deadline = committed + 15 * 60_000;
    long visibleAt = 0;
    try (Connection c = connect(postgres)) {
      long nextCritical = System.currentTimeMillis();
      while (System.currentTimeMillis() < deadline) {
        if (System.currentTimeMillis() >= nextCritical && visibleAt == 0) {
          UUID id = UUID.randomUUID();
          exec(c, "INSERT INTO tenants (id, name) VALUES (?, 'critical')", id);
          critical.put(id.toString(), System.currentTimeMillis());
          nextCritical += criticalEveryMillis;
        }
        if (visibleAt == 0 && count(driver, "MATCH (n:Concept {tenantId: $t}) RETURN count(n) AS c", tenant) >= rows) {
          visibleAt = System.currentTimeMillis();
        }
        if (visibleAt > 0 && rowsNotSuccess(c, tenant) == 0) {
          break;
        }
        Thread.sleep(100);
      }
    }
    long successAt = System.currentTimeMillis();
    if (visibleAt == 0) {
      throw new IllegalStateException("the large transaction did not reach the graph within 15 minutes");
    }
    List<Long> lags = lags(driver, "Tenant", critical);
    return new LargeTransaction(rows, (visibleAt - committed) / 1000.0, (successAt - committed) / 1000.0, lags);
  }

  /**
   * The lag of each of the given nodes (id → commit millis): its {@code lastSyncedAt} minus its commit time, sorted;
   * waits up to two minutes for all of them to be in the graph.
   */
  static List<Long> lags(Driver driver, String label, Map<String, Long> committed) throws InterruptedException {
    List<Long> lags = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      lags.clear();
      for (Record r : driver.executableQuery("UNWIND $ids AS id MATCH (n:`" + label + "` {id: id}) "
          + "RETURN n.id AS id, n.lastSyncedAt AS at").withParameters(Map.of("ids", List.copyOf(committed.keySet())))
          .execute().records()) {
        lags.add(r.get("at").asZonedDateTime().toInstant().toEpochMilli() - committed.get(r.get("id").asString()));
      }
      if (lags.size() == committed.size()) {
        break;
      }
      Thread.sleep(200);
    }
    lags.sort(Long::compare);
    return lags;
  }

  /** Commits {@code perSecond} single-row changes a second for {@code seconds}, then measures each one's lag. */
  static Steady steady(PostgresServer postgres, Driver driver, int perSecond, int seconds) throws Exception {
    UUID tenant = UUID.randomUUID();
    Map<String, Long> committed = new HashMap<>();
    long start = System.currentTimeMillis();
    try (Connection c = connect(postgres)) {
      exec(c, "INSERT INTO tenants (id, name) VALUES (?, 'steady')", tenant);
      for (int i = 0; i < perSecond * seconds; i++) {
        long due = start + i * 1000L / perSecond;
        long wait = due - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
        UUID id = UUID.randomUUID();
        exec(c, "INSERT INTO concepts (id, tenant_id, name) VALUES (?, ?, 'steady')", id, tenant);
        committed.put(id.toString(), System.currentTimeMillis());
      }
    }
    double rate = committed.size() / ((System.currentTimeMillis() - start) / 1000.0);
    List<Long> lags = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      lags.clear();
      for (Record r : driver.executableQuery("MATCH (n:Concept {tenantId: $t}) RETURN n.id AS id, "
          + "n.lastSyncedAt AS at").withParameters(Map.of("t", tenant.toString())).execute().records()) {
        lags.add(r.get("at").asZonedDateTime().toInstant().toEpochMilli() - committed.get(r.get("id").asString()));
      }
      if (lags.size() == committed.size()) {
        break;
      }
      Thread.sleep(200);
    }
    lags.sort(Long::compare);
    return new Steady(committed.size(), rate, lags);
  }

  /** Samples the heap used every 100 ms on a daemon thread; {@link #peak()} is the highest sample. */
  static final class HeapPeak {
    private final AtomicLong peak = new AtomicLong();

    HeapPeak start() {
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      Thread sampler = new Thread(() -> {
        while (true) {
          peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "bench-heap-sampler");
      sampler.setDaemon(true);
      sampler.start();
      return this;
    }

    long peak() {
      return peak.get();
    }
  }

  static long percentile(List<Long> sorted, int percentile) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
  }

  private static long rowsNotSuccess(Connection c, UUID tenant) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(
        "SELECT count(*) FROM concepts WHERE tenant_id = ? AND sync_status <> 'SUCCESS'")) {
      q.setObject(1, tenant);
      try (var r = q.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  private static long count(Driver driver, String cypher, UUID tenant) {
    return driver.executableQuery(cypher).withParameters(Map.of("t", tenant.toString())).execute().records().get(0)
        .get("c").asLong();
  }

  private static Connection connect(PostgresServer postgres) throws SQLException {
    return DriverManager.getConnection(postgres.jdbcUrl(), postgres.settings().user(), postgres.settings().password());
  }

  private static void exec(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      statement.executeUpdate();
    }
  }
}
