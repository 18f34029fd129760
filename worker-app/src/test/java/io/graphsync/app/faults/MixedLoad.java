package io.graphsync.app.faults;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mixed load over the sample schema that outlives a PostgreSQL restart: one thread commits small changes at a
 * steady pace — inserts into every table, updates of values, arrays, JSON and foreign keys, join rows, deletes (with
 * their cascades), a delete and re-insert of the same key, and small multi-statement transactions — and another
 * commits a large transaction (new concepts, updates and deletes of existing ones) every so often, which the
 * capture groups into SyncBatchWorkflows. A statement that fails (PostgreSQL restarting, a row another statement
 * deleted) is counted and the load goes on; the comparison at the end judges the database as it is, so a commit
 * whose outcome the client never learned needs no bookkeeping.
 */
final class MixedLoad implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MixedLoad.class);
  private static final int TENANTS = 12;

  /** What the load did. */
  record Stats(long statements, long largeTransactions, long largeTransactionRows, long failures) {}

  private record Tenant(UUID id, List<UUID> users, List<UUID> threads, List<UUID> messages, List<UUID> items,
      List<UUID> concepts, List<UUID[]> links) {
    Tenant(UUID id) {
      this(id, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
          new ArrayList<>());
    }
  }

  private final DataSource dataSource;
  private final int changesPerSecond;
  private final int largeTransactionRows;
  private final Duration largeTransactionEvery;
  private final Random random = new Random(20_240_909L);
  private final List<Tenant> tenants = new ArrayList<>();
  private final AtomicLong statements = new AtomicLong();
  private final AtomicLong largeTransactions = new AtomicLong();
  private final AtomicLong largeRows = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean running;
  private final List<Thread> threads = new ArrayList<>();

  MixedLoad(DataSource dataSource, int changesPerSecond, int largeTransactionRows, Duration largeTransactionEvery) {
    this.dataSource = dataSource;
    this.changesPerSecond = changesPerSecond;
    this.largeTransactionRows = largeTransactionRows;
    this.largeTransactionEvery = largeTransactionEvery;
  }

  MixedLoad start() {
    running = true;
    threads.add(startThread("faults-load-small", this::smallChanges));
    if (largeTransactionRows > 0) {
      threads.add(startThread("faults-load-large", this::largeTransactions));
    }
    return this;
  }

  private static Thread startThread(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.start();
    return thread;
  }

  Stats stats() {
    return new Stats(statements.get(), largeTransactions.get(), largeRows.get(), failures.get());
  }

  /** Stops both threads after their current statement. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(Duration.ofMinutes(2).toMillis());
    }
  }

  private void smallChanges() {
    long intervalNanos = 1_000_000_000L / changesPerSecond;
    long next = System.nanoTime();
    Connection connection = null;
    while (running) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        sleep(wait / 1_000_000);
      }
      next += intervalNanos;
      try {
        if (connection == null) {
          connection = dataSource.getConnection();
        }
        statements.addAndGet(oneChange(connection));
      } catch (SQLException e) {
        failures.incrementAndGet();
        LOG.debug("a load statement failed: {}", e.getMessage());
        connection = dropIfBroken(connection);
      }
    }
    closeQuietly(connection);
  }

  /** One random change; returns the statements committed. */
  private int oneChange(Connection c) throws SQLException {
    if (tenants.size() < TENANTS) {
      UUID id = UUID.randomUUID();
      exec(c, "INSERT INTO tenants (id, name, settings) VALUES (?, ?, '{\"tier\": 1}')", id, "tenant " + id);
      tenants.add(new Tenant(id));
      return 1;
    }
    Tenant t = tenants.get(random.nextInt(tenants.size()));
    int dice = random.nextInt(100);
    if (dice < 8 || t.users().isEmpty()) {
      UUID id = UUID.randomUUID();
      exec(c, "INSERT INTO users (id, tenant_id, email, display_name, roles) VALUES (?, ?, ?, ?, ARRAY['viewer'])",
          id, t.id(), id + "@example.com", "user " + id.toString().substring(0, 8));
      t.users().add(id);
    } else if (dice < 14 || t.threads().isEmpty()) {
      UUID id = UUID.randomUUID();
      exec(c, "INSERT INTO threads (id, tenant_id, created_by, title) VALUES (?, ?, ?, 'a thread')", id, t.id(),
          any(t.users()));
      t.threads().add(id);
    } else if (dice < 24 || t.messages().isEmpty()) {
      UUID id = UUID.randomUUID();
      exec(c, "INSERT INTO messages (id, tenant_id, thread_id, author_id, body) VALUES (?, ?, ?, ?, ?)", id, t.id(),
          any(t.threads()), any(t.users()), "message body " + random.nextInt(1000));
      t.messages().add(id);
    } else if (dice < 34 || t.items().isEmpty()) {
      UUID id = UUID.randomUUID();
      exec(c, "INSERT INTO content_items (id, tenant_id, message_id, title, metadata, score, tags) "
              + "VALUES (?, ?, ?, 'an item', ?::jsonb, ?, ARRAY['a', 'b'])", id, t.id(), any(t.messages()),
          "{\"n\": " + random.nextInt(100) + "}", random.nextInt(10_000) / 100.0);
      t.items().add(id);
    } else if (dice < 44 || t.concepts().isEmpty()) {
      UUID id = UUID.randomUUID();
      exec(c, "INSERT INTO concepts (id, tenant_id, name) VALUES (?, ?, ?)", id, t.id(), "concept " + dice);
      t.concepts().add(id);
    } else if (dice < 52) {
      UUID[] link = {any(t.items()), any(t.concepts())};
      if (exec(c, "INSERT INTO content_item_concepts (content_item_id, concept_id, tenant_id, weight) "
          + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", link[0], link[1], t.id(), random.nextInt(10_000) / 10_000.0)
          == 1) {
        t.links().add(link);
      }
    } else if (dice < 60) {
      exec(c, "UPDATE concepts SET name = ?, description = ? WHERE id = ?", "renamed " + random.nextInt(1000),
          "described " + random.nextInt(1000), any(t.concepts()));
    } else if (dice < 66) {
      exec(c, "UPDATE content_items SET title = ?, score = ?, tags = ARRAY['x', ?], metadata = ?::jsonb WHERE id = ?",
          "retitled " + random.nextInt(1000), random.nextInt(10_000) / 100.0, "t" + random.nextInt(9),
          "{\"n\": " + random.nextInt(100) + ", \"k\": [1, 2]}", any(t.items()));
    } else if (dice < 70) {
      // a foreign key moves: the relationship must move with it
      exec(c, "UPDATE content_items SET message_id = ? WHERE id = ?", any(t.messages()), any(t.items()));
    } else if (dice < 74) {
      exec(c, "UPDATE users SET display_name = ?, roles = ARRAY[?, 'viewer'] WHERE id = ?",
          "renamed " + random.nextInt(1000), random.nextBoolean() ? "admin" : "editor", any(t.users()));
    } else if (dice < 76) {
      exec(c, "UPDATE threads SET title = ?, created_by = ? WHERE id = ?", "thread " + random.nextInt(1000),
          any(t.users()), any(t.threads()));
    } else if (dice < 77) {
      exec(c, "UPDATE tenants SET plan = ? WHERE id = ?", random.nextBoolean() ? "pro" : "free", t.id());
    } else if (dice < 81 && !t.links().isEmpty()) {
      UUID[] link = t.links().get(random.nextInt(t.links().size()));
      exec(c, "UPDATE content_item_concepts SET weight = ? WHERE content_item_id = ? AND concept_id = ?",
          random.nextInt(10_000) / 10_000.0, link[0], link[1]);
    } else if (dice < 84 && !t.links().isEmpty()) {
      UUID[] link = t.links().remove(random.nextInt(t.links().size()));
      exec(c, "DELETE FROM content_item_concepts WHERE content_item_id = ? AND concept_id = ?", link[0], link[1]);
    } else if (dice < 88 && t.concepts().size() > 2) {
      // cascades to its join rows: their relationships go with the node
      UUID concept = t.concepts().remove(random.nextInt(t.concepts().size()));
      exec(c, "DELETE FROM concepts WHERE id = ?", concept);
      t.links().removeIf(link -> link[1].equals(concept));
    } else if (dice < 91 && t.items().size() > 2) {
      UUID item = t.items().remove(random.nextInt(t.items().size()));
      exec(c, "DELETE FROM content_items WHERE id = ?", item);
      t.links().removeIf(link -> link[0].equals(item));
    } else if (dice < 94) {
      // delete, then re-insert the same key: the node must end present, with the new row's values
      UUID id = UUID.randomUUID();
      exec(c, "INSERT INTO concepts (id, tenant_id, name) VALUES (?, ?, 'first life')", id, t.id());
      exec(c, "DELETE FROM concepts WHERE id = ?", id);
      exec(c, "INSERT INTO concepts (id, tenant_id, name) VALUES (?, ?, 'second life')", id, t.id());
      t.concepts().add(id);
      return 3;
    } else {
      // a small transaction over three tables
      UUID item = UUID.randomUUID();
      UUID concept = UUID.randomUUID();
      c.setAutoCommit(false);
      try {
        exec(c, "INSERT INTO content_items (id, tenant_id, message_id, title) VALUES (?, ?, ?, 'together')", item,
            t.id(), any(t.messages()));
        exec(c, "INSERT INTO concepts (id, tenant_id, name) VALUES (?, ?, 'together')", concept, t.id());
        exec(c, "INSERT INTO content_item_concepts (content_item_id, concept_id, tenant_id) VALUES (?, ?, ?)", item,
            concept, t.id());
        exec(c, "UPDATE concepts SET description = 'touched in a transaction' WHERE id = ?", any(t.concepts()));
        c.commit();
      } catch (SQLException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
      t.items().add(item);
      t.concepts().add(concept);
      t.links().add(new UUID[] {item, concept});
      return 4;
    }
    return 1;
  }

  /**
   * A large transaction every so often: {@code rows} new concepts of one tenant, an update of up to a tenth as
   * many existing ones, and a few deletes — more than the capture's grouping threshold, so it is synced in batches.
   */
  private void largeTransactions() {
    Random large = new Random(7L);
    long next = System.nanoTime() + largeTransactionEvery.toNanos() / 2;
    while (running) {
      if (System.nanoTime() < next) {
        sleep(200);
        continue;
      }
      next += largeTransactionEvery.toNanos();
      UUID tenant = UUID.randomUUID();
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        exec(c, "INSERT INTO tenants (id, name) VALUES (?, 'large transactions')", tenant);
        exec(c, "INSERT INTO concepts (id, tenant_id, name, description) SELECT gen_random_uuid(), ?, "
            + "'bulk ' || i, 'round " + large.nextInt(1000) + "' FROM generate_series(1, ?) AS i", tenant,
            largeTransactionRows);
        int updated = exec(c, "UPDATE concepts SET description = 'bulk update', name = name || '*' WHERE id IN "
            + "(SELECT id FROM concepts WHERE name LIKE 'bulk %' AND tenant_id <> ? ORDER BY random() LIMIT ?)",
            tenant, largeTransactionRows / 10);
        int deleted = exec(c, "DELETE FROM concepts WHERE id IN (SELECT id FROM concepts WHERE name LIKE 'bulk %' "
            + "AND tenant_id <> ? ORDER BY random() LIMIT ?)", tenant, largeTransactionRows / 50);
        c.commit();
        largeTransactions.incrementAndGet();
        largeRows.addAndGet(1L + largeTransactionRows + updated + deleted);
        LOG.info("large transaction committed: {} new concepts, {} updated, {} deleted", largeTransactionRows,
            updated, deleted);
      } catch (SQLException e) {
        failures.incrementAndGet();
        LOG.info("a large transaction failed (it is not retried): {}", e.getMessage());
      }
    }
  }

  private static int exec(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      return statement.executeUpdate();
    }
  }

  private UUID any(List<UUID> ids) {
    return ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
  }

  private static Connection dropIfBroken(Connection connection) {
    try {
      if (connection != null && connection.isValid(2)) {
        return connection;
      }
    } catch (SQLException ignored) {
      // broken: replaced below
    }
    closeQuietly(connection);
    sleep(500);
    return null;
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; the transaction with it
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // nothing left to release
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(Math.max(0, millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
