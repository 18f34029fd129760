package io.graphsync.activities.reconcile;

import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.reconcile.ComparisonRequest;
import io.graphsync.workflows.reconcile.ComparisonResult;
import io.graphsync.workflows.reconcile.Finding;
import io.graphsync.workflows.reconcile.FindingType;
import io.graphsync.workflows.reconcile.RecheckResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Result;
import org.neo4j.driver.Session;

/**
 * The reconciliation benchmark: {@code temporal-dev/bin/benchmark-reconciliation [rows] [pageSize]}. On fresh real
 * servers (free ports) it seeds {@code rows} users of one tenant in PostgreSQL and the nodes a sync would have written
 * in Neo4j ({@code UNWIND} batches of 1,000, with their {@code BELONGS_TO} relationship), plus a little drift (0.05 %
 * of each kind). Then it measures, in the same run:
 *
 * <ol>
 *   <li>reconciling the table with the comparison activities' own code path, as the workflow calls them (pages of
 *       {@code pageSize}, 20 per activity call, heartbeat callback, then the re-check of every candidate, without
 *       Temporal and without the grace wait);
 *   <li>a bare full scan of both stores: {@code SELECT} of the mapped columns of every row, and
 *       {@code MATCH (n:User) RETURN n};
 * </ol>
 *
 * and prints both, the ratio, and what was found (which must be exactly the seeded drift).
 */
public final class ReconciliationBenchmark {

  private static final int DRIFT_PER_KIND = 50;
  private static final int BATCH = 1_000;

  private ReconciliationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int pageSize = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    GraphsyncStack stack = GraphsyncStack.shared();
    System.out.printf("servers: PostgreSQL %s, Neo4j %s%n", stack.postgres().jdbcUrl(), stack.neo4j().boltUri());
    DataSource dataSource = stack.dataSource();
    GraphMapping mapping = stack.mapping();
    Driver driver = stack.driver();
    long seedStart = System.nanoTime();
    Map<FindingType, Integer> seeded = seed(dataSource, driver, rows);
    System.out.printf(Locale.ROOT, "seeded %,d users (+ drift %s) in %.1f s%n", rows, seeded,
        seconds(seedStart));

    // worker-app reads through a connection pool (Hikari); here one reused connection stands in for it
    ReconciliationActivitiesImpl activities =
        new ReconciliationActivitiesImpl(pooled(dataSource), Neo4jTarget.of(driver), mapping);
    // warm-up: JIT, connections, Neo4j page cache (a first pass of both, not measured)
    bareScan(dataSource, driver);
    reconcile(activities, pageSize, false);

    long bareStart = System.nanoTime();
    long[] bare = bareScan(dataSource, driver);
    double bareSeconds = seconds(bareStart);
    long reconcileStart = System.nanoTime();
    Outcome outcome = reconcile(activities, pageSize, true);
    double reconcileSeconds = seconds(reconcileStart);

    System.out.println();
    System.out.println("=== graphsync reconciliation benchmark ===");
    System.out.printf(Locale.ROOT, "table                      users, %,d rows, page size %d%n", rows, pageSize);
    System.out.printf(Locale.ROOT, "(a) reconcile              %.2f s  (%,.0f rows/s): compare %.2f s in %d pages, "
        + "re-check %.2f s%n", reconcileSeconds, outcome.rows / reconcileSeconds, outcome.compareSeconds,
        outcome.pages, outcome.recheckSeconds);
    System.out.printf(Locale.ROOT, "(b) bare full scan         %.2f s  (%,.0f rows/s): SELECT %,d rows %.2f s, "
        + "MATCH %,d nodes %.2f s%n", bareSeconds, rows / bareSeconds, bare[0], bare[2] / 1e9, bare[1],
        bare[3] / 1e9);
    System.out.printf(Locale.ROOT, "ratio (a) / (b)            %.1fx%n", reconcileSeconds / bareSeconds);
    double[] split = breakdown(dataSource, driver, mapping, pageSize);
    System.out.printf(Locale.ROOT,
        "    of which (per page)    PostgreSQL page %.1f ms, Neo4j page %.1f ms, classify %.1f ms%n",
        split[0], split[1], split[2]);
    System.out.printf(Locale.ROOT, "found                      candidates %d, confirmed %s%n", outcome.candidates,
        outcome.confirmed);
    System.out.printf(Locale.ROOT, "seeded drift               %s -> %s%n", seeded,
        outcome.confirmed.equals(seeded) ? "found exactly" : "MISMATCH");
    System.exit(0);
  }

  private record Outcome(long rows, long pages, long candidates, Map<FindingType, Integer> confirmed,
      double compareSeconds, double recheckSeconds) {}

  /** The workflow's calls without Temporal: compare 20 pages per call until done, then re-check the candidates. */
  private static Outcome reconcile(ReconciliationActivitiesImpl activities, int pageSize, boolean print) {
    long start = System.nanoTime();
    String afterKey = null;
    long rows = 0;
    long pages = 0;
    List<Finding> candidates = new ArrayList<>();
    while (true) {
      ComparisonResult result = activities.compare(
          new ComparisonRequest("users", null, afterKey, pageSize, 20, Integer.MAX_VALUE), null, progress -> { });
      rows += result.rows();
      pages += result.pages();
      candidates.addAll(result.candidates());
      if (result.done()) {
        break;
      }
      afterKey = result.nextKey();
    }
    double compareSeconds = seconds(start);
    long recheckStart = System.nanoTime();
    Map<FindingType, Integer> confirmed = new EnumMap<>(FindingType.class);
    for (int from = 0; from < candidates.size(); from += 200) {
      RecheckResult result = activities.recheck(candidates.subList(from, Math.min(candidates.size(), from + 200)));
      result.confirmed().forEach(finding -> confirmed.merge(finding.type(), 1, Integer::sum));
    }
    double recheckSeconds = seconds(recheckStart);
    if (!print) {
      System.out.printf(Locale.ROOT, "warm-up reconcile %.2f s%n", compareSeconds + recheckSeconds);
    }
    return new Outcome(rows, pages, candidates.size(), confirmed, compareSeconds, recheckSeconds);
  }

  /** Mean ms per page of the comparison's three steps: PostgreSQL page, Neo4j page, classification. */
  private static double[] breakdown(DataSource dataSource, Driver driver, GraphMapping mapping, int pageSize)
      throws SQLException {
    Map<String, String> labels = new HashMap<>();
    mapping.tables().forEach(table -> labels.put(table.table(), table.label()));
    EntityTable table = new EntityTable(mapping.table("users").orElseThrow(),
        new io.graphsync.activities.neo4j.MutationPlanner(mapping), labels);
    long pg = 0;
    long graph = 0;
    long classify = 0;
    int pages = 0;
    String after = null;
    try (Connection connection = dataSource.getConnection(); Session session = driver.session()) {
      while (true) {
        long t0 = System.nanoTime();
        List<ComparedTable.Row> rows = table.rows(connection, after, pageSize, null);
        long t1 = System.nanoTime();
        List<ComparedTable.Element> elements = table.elements(session, after, pageSize, null);
        long t2 = System.nanoTime();
        Map<String, ComparedTable.Element> byKey = new HashMap<>();
        elements.forEach(element -> byKey.put(element.key(), element));
        rows.forEach(row -> table.classify(row.key(), row, byKey.get(row.key()), false));
        long t3 = System.nanoTime();
        pg += t1 - t0;
        graph += t2 - t1;
        classify += t3 - t2;
        pages++;
        if (rows.size() < pageSize) {
          break;
        }
        after = rows.get(rows.size() - 1).key();
      }
    }
    return new double[] {pg / 1e6 / pages, graph / 1e6 / pages, classify / 1e6 / pages};
  }

  /** {rows, nodes, SELECT nanos, MATCH nanos}: every mapped column of every row, every node of the label. */
  private static long[] bareScan(DataSource dataSource, Driver driver) throws SQLException {
    long selectStart = System.nanoTime();
    long rows = 0;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.setFetchSize(BATCH);
        try (ResultSet result = statement.executeQuery(
            "SELECT id, tenant_id, email, display_name, roles, created_at, pg_version FROM users")) {
          int columns = result.getMetaData().getColumnCount();
          while (result.next()) {
            for (int i = 1; i <= columns; i++) {
              result.getObject(i);
            }
            rows++;
          }
        }
      }
      connection.commit();
    }
    long selectNanos = System.nanoTime() - selectStart;
    long matchStart = System.nanoTime();
    long nodes;
    try (Session session = driver.session()) {
      nodes = session.executeRead(tx -> {
        Result result = tx.run("MATCH (n:User) RETURN n");
        long count = 0;
        while (result.hasNext()) {
          result.next().get("n").asNode().asMap();
          count++;
        }
        return count;
      });
    }
    return new long[] {rows, nodes, selectNanos, System.nanoTime() - matchStart};
  }

  /** Users of one tenant in both stores as a sync leaves them, then 50 of each kind of drift. */
  private static Map<FindingType, Integer> seed(DataSource dataSource, Driver driver, int count) throws SQLException {
    String tenant = UUID.randomUUID().toString();
    try (Connection connection = dataSource.getConnection()) {
      try (PreparedStatement statement = connection.prepareStatement(
          "INSERT INTO tenants (id, name) VALUES (?::uuid, 'benchmark')")) {
        statement.setString(1, tenant);
        statement.executeUpdate();
      }
      try (PreparedStatement statement = connection.prepareStatement("""
          INSERT INTO users (id, tenant_id, email, display_name, roles, created_at)
          SELECT gen_random_uuid(), ?::uuid, 'user' || i || '@example.org', 'User ' || i,
                 ARRAY['reader', 'r' || (i % 7)], timestamptz '2026-01-01 00:00:00Z' + i * interval '1 second'
          FROM generate_series(1, ?) AS i""")) {
        statement.setString(1, tenant);
        statement.setInt(2, count);
        statement.executeUpdate();
      }
    }
    runCypher(driver, "MERGE (t:Tenant {id: $tenant}) SET t.pgId = $tenant, t.tenantId = $tenant, t.name = "
        + "'benchmark', t.plan = 'free', t.pgVersion = 1, t.neo4jVersion = 0, t.syncPosition = 1", Map.of("tenant",
        tenant));
    List<Map<String, Object>> batch = new ArrayList<>(BATCH);
    List<String> ids = new ArrayList<>(count);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement("SELECT id::text, email, display_name, roles, "
          + "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM users "
          + "WHERE tenant_id = ?::uuid")) {
        statement.setString(1, tenant);
        statement.setFetchSize(BATCH);
        try (ResultSet rows = statement.executeQuery()) {
          long position = 100;
          while (rows.next()) {
            String id = rows.getString(1);
            ids.add(id);
            if (ids.size() <= DRIFT_PER_KIND) {
              continue; // MISSING_IN_NEO4J: no node
            }
            Map<String, Object> node = new HashMap<>();
            node.put("id", id);
            node.put("email", rows.getString(2));
            node.put("displayName", rows.getString(3));
            node.put("roles", List.of((Object[]) rows.getArray(4).getArray()));
            node.put("createdAt", rows.getString(5));
            node.put("position", position++);
            batch.add(node);
            if (batch.size() == BATCH) {
              writeNodes(driver, tenant, batch);
              batch.clear();
            }
          }
        }
      }
      connection.commit();
    }
    if (!batch.isEmpty()) {
      writeNodes(driver, tenant, batch);
    }
    List<String> orphans = new ArrayList<>();
    for (int i = 0; i < DRIFT_PER_KIND; i++) {
      orphans.add(UUID.randomUUID().toString());
    }
    runCypher(driver, "UNWIND $ids AS id CREATE (n:User {id: id, pgId: id, tenantId: $tenant, email: 'gone', "
        + "pgVersion: 1, neo4jVersion: 0, syncPosition: 99})", Map.of("ids", orphans, "tenant", tenant));
    List<String> stale = ids.subList(DRIFT_PER_KIND, 2 * DRIFT_PER_KIND);
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement(
             "UPDATE users SET display_name = 'renamed' WHERE id = ANY(CAST(? AS uuid[]))")) {
      statement.setArray(1, connection.createArrayOf("text", stale.toArray()));
      statement.executeUpdate();
    }
    runCypher(driver, "UNWIND $ids AS id MATCH (n:User {id: id}) SET n.email = 'edited in the graph', "
        + "n.neo4jVersion = 1", Map.of("ids", ids.subList(2 * DRIFT_PER_KIND, 3 * DRIFT_PER_KIND)));
    runCypher(driver, "UNWIND $ids AS id MATCH (:User {id: id})-[r:BELONGS_TO]->() DELETE r",
        Map.of("ids", ids.subList(3 * DRIFT_PER_KIND, 4 * DRIFT_PER_KIND)));
    Map<FindingType, Integer> drift = new EnumMap<>(FindingType.class);
    for (FindingType type : FindingType.values()) {
      drift.put(type, DRIFT_PER_KIND);
    }
    return drift;
  }

  private static void writeNodes(Driver driver, String tenant, List<Map<String, Object>> batch) {
    runCypher(driver, """
        MATCH (t:Tenant {id: $tenant})
        UNWIND $rows AS row
        CREATE (n:User {id: row.id, pgId: row.id, tenantId: $tenant, email: row.email, displayName: row.displayName,
            roles: row.roles, createdAt: datetime(row.createdAt), pgVersion: 1, neo4jVersion: 0,
            syncPosition: row.position, lastSyncedAt: datetime()})
        CREATE (n)-[:BELONGS_TO]->(t)""", Map.of("tenant", tenant, "rows", batch));
  }

  private static void runCypher(Driver driver, String text, Map<String, Object> parameters) {
    driver.executableQuery(text).withParameters(parameters).execute();
  }

  /**
   * A data source that hands out one physical connection again and again, reset on {@code close()} as a pool resets
   * it (rollback, auto-commit, read-write, READ COMMITTED): the activities' per-page {@code getConnection()} then
   * costs what it costs behind worker-app's pool, not a new PostgreSQL session.
   */
  private static DataSource pooled(DataSource target) throws SQLException {
    Connection physical = target.getConnection();
    Connection handle = (Connection) java.lang.reflect.Proxy.newProxyInstance(
        ReconciliationBenchmark.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("close")) {
            if (!physical.getAutoCommit()) {
              physical.rollback();
              physical.setAutoCommit(true);
            }
            physical.setReadOnly(false);
            physical.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            return null;
          }
          try {
            return method.invoke(physical, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    DataSource configured = target;
    return (DataSource) java.lang.reflect.Proxy.newProxyInstance(ReconciliationBenchmark.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          if (method.getName().equals("getConnection")) {
            return handle;
          }
          try {
            return method.invoke(configured, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
