package io.graphsync.activities.bulk;

import static io.graphsync.activities.postgres.SqlIdentifiers.qualified;
import static io.graphsync.activities.postgres.SqlIdentifiers.quote;

import io.graphsync.activities.neo4j.MutationPlanner;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.postgres.Catalog;
import io.graphsync.activities.postgres.PostgresFailures;
import io.graphsync.activities.postgres.RowReads;
import io.graphsync.activities.postgres.SqlIdentifiers;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.activities.status.BatchSyncStatus;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.bulk.BackfillActivities;
import io.graphsync.workflows.bulk.BackfillCounts;
import io.graphsync.workflows.bulk.BackfillPageRequest;
import io.graphsync.workflows.bulk.BackfillPageResult;
import io.graphsync.workflows.bulk.BackfillPlan;
import io.graphsync.workflows.bulk.BackfillRequest;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EntityKey;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.SyncStatus;
import io.graphsync.workflows.sync.SyncStatusUpdate;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backfill pages: read a key-ordered page of one mapped table, write it to Neo4j in batches, mark its rows synced.
 *
 * <p><b>Correct against live changes.</b> A page is read in one READ COMMITTED transaction with {@code FOR SHARE}:
 * a row that an open transaction changed is waited for (up to {@link #LOCK_TIMEOUT}) and then read as committed, and
 * while the page holds its locks nobody can change its rows. Still inside that transaction the page takes
 * {@code pg_current_wal_insert_lsn() - 1} as its position: every change committed before the read is in the page,
 * and every change of one of its rows committed after it is written to the WAL after that position. So in the
 * graph's order guard a captured change that the page does not contain always wins over the page, and one that it
 * does contain is a no-op after it. The locks last only for the read.
 *
 * <p><b>Writes.</b> Rows become events ({@code source=BACKFILL}) that the graph writer's own {@link MutationPlanner}
 * plans; mutations of one shape go into one {@code UNWIND} statement ({@link CypherStatements#batch}) with exactly the
 * per-entity guard of the per-change path (order key, tombstones, placeholders); the page is one Neo4j transaction.
 * Entity rows' {@code sync_status} is then set to SUCCESS in one statement, guarded by {@code pg_version} like the
 * per-change write-back (a newer version stays PENDING). A row that cannot be planned (bad data) is not written; it is
 * returned for its own sync workflow, where it fails visibly and an operator retries or skips it.
 */
public class BackfillActivitiesImpl implements BackfillActivities {

  private static final Logger log = LoggerFactory.getLogger(BackfillActivitiesImpl.class);

  /** How long a page waits for an open transaction that changed one of its rows (then the attempt retries). */
  static final String LOCK_TIMEOUT = "20s";


  private final DataSource dataSource;
  private final GraphMapping mapping;
  private final BatchGraphWriter graph;
  private final BatchSyncStatus status;
  private final SourceRowReader columns;
  private final Clock clock;
  private final Map<String, Map<String, String>> columnTypes = new ConcurrentHashMap<>();
  /** Reads the next page while the current one is written (one read per running activity); daemon threads. */
  private final ExecutorService prefetch = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "graphsync-backfill-prefetch");
        thread.setDaemon(true);
        return thread;
      });

  /**
   * @param mapping the mapping resolved by {@link io.graphsync.activities.mapping.MappingValidator}
   * @param neo4j the graph: driver and database
   */
  public BackfillActivitiesImpl(DataSource dataSource, Neo4jTarget neo4j, GraphMapping mapping) {
    this(dataSource, neo4j, mapping, Clock.systemUTC());
  }

  BackfillActivitiesImpl(DataSource dataSource, Neo4jTarget neo4j, GraphMapping mapping, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    Objects.requireNonNull(neo4j, "neo4j");
    this.graph = new BatchGraphWriter(neo4j.driver(), neo4j.sessionConfig(), new MutationPlanner(mapping));
    this.status = new BatchSyncStatus(dataSource, mapping);
    this.columns = new SourceRowReader(dataSource, mapping);
    this.clock = clock;
  }

  @Override
  public BackfillPlan planBackfill(BackfillRequest request) {
    List<String> tables = request.tables().isEmpty()
        ? allTables()
        : request.tables().stream().distinct().toList();
    for (String table : tables) {
      if (!isMapped(table)) {
        throw ApplicationFailure.newNonRetryableFailure("table '" + table + "' is not in the graph mapping; mapped: "
            + allTables(), FailureType.UNMAPPED_TABLE.type());
      }
    }
    if ((request.fromKey() != null || request.toKey() != null)
        && (tables.size() != 1 || mapping.table(tables.get(0)).isEmpty())) {
      throw ApplicationFailure.newNonRetryableFailure("a key range (fromKey/toKey) needs exactly one entity table, "
          + "not " + tables, FailureType.INVALID_DATA.type());
    }
    List<Long> counts = new ArrayList<>();
    try (Connection connection = dataSource.getConnection()) {
      for (String table : tables) {
        Query count = where(connection, table, request.tenantId(), null, request.fromKey(), request.toKey());
        try (PreparedStatement statement = connection.prepareStatement(
            "SELECT count(*) FROM " + qualified(table) + count.where())) {
          bind(statement, count.parameters());
          try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            counts.add(rows.getLong(1));
          }
        }
      }
    } catch (SQLException e) {
      throw PostgresFailures.failure("counting the rows to backfill", e);
    }
    return new BackfillPlan(tables, counts);
  }

  @Override
  public BackfillPageResult loadPages(BackfillPageRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    String afterKey = context.getHeartbeatDetails(String.class).orElse(request.afterKey());
    return load(request, afterKey, context::heartbeat);
  }

  /**
   * The activity's work outside of an activity context (tests, the benchmark); {@code heartbeat} gets the cursor
   * after each page. The next page is read from PostgreSQL while the current one is written to Neo4j (each page has
   * its own locks and position, so the overlap changes no guarantee); the cursor advances only after a page is
   * written and marked.
   */
  public BackfillPageResult load(BackfillPageRequest request, String afterKey, Consumer<String> heartbeat) {
    BackfillCounts counts = BackfillCounts.ZERO;
    List<ChangeEvent> failed = new ArrayList<>();
    String cursor = afterKey;
    Page read = readPage(request, cursor);
    for (int page = 0; page < request.maxPages(); page++) {
      if (read.size() == 0) {
        return new BackfillPageResult(counts, cursor, true, failed);
      }
      boolean last = read.size() < request.pageSize() || page == request.maxPages() - 1;
      String nextCursor = read.lastKey();
      CompletableFuture<Page> next = last ? null
          : CompletableFuture.supplyAsync(() -> readPage(request, nextCursor), prefetch);
      PageOutcome outcome;
      try {
        outcome = write(read);
      } catch (RuntimeException e) {
        if (next != null) {
          next.cancel(false);
        }
        throw e;
      }
      int failures = outcome.failed().size() + read.unreadable().size();
      counts = counts.plus(new BackfillCounts(read.size(), outcome.applied(),
          read.size() - outcome.applied() - failures, failures, 1));
      failed.addAll(read.unreadable());
      failed.addAll(outcome.failed());
      cursor = read.lastKey();
      heartbeat.accept(cursor);
      if (read.size() < request.pageSize()) {
        return new BackfillPageResult(counts, cursor, true, failed);
      }
      if (next == null) {
        break;
      }
      read = join(next);
    }
    return new BackfillPageResult(counts, cursor, false, failed);
  }

  private static Page join(CompletableFuture<Page> next) {
    try {
      return next.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
    }
  }

  /**
   * A page: its rows as events at the page's position, the rows that could not be read (keys only, for their own
   * syncs), how many rows it read, and the last key read.
   */
  record Page(String table, long position, List<ChangeEvent> events, List<ChangeEvent> unreadable, int size,
      String lastKey) {}

  private record PageOutcome(int applied, List<ChangeEvent> failed) {}

  private record Query(String where, List<Object> parameters) {}

  /** Reads one page under {@code FOR SHARE} and takes its position in the same transaction. */
  Page readPage(BackfillPageRequest request, String afterKey) {
    String table = request.table();
    List<String> keys = columns.keyColumns(table);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        RowReads.setLockTimeout(connection, LOCK_TIMEOUT);
        Query query = where(connection, table, request.tenantId(), afterKey, request.fromKey(), request.toKey());
        String sql = "SELECT " + columns.columns(table).stream().map(SqlIdentifiers::quote)
            .collect(Collectors.joining(", ")) + " FROM " + qualified(table) + query.where()
            + " ORDER BY " + keys.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "))
            + " LIMIT " + request.pageSize() + " FOR SHARE";
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> unreadable = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
          bind(statement, query.parameters());
          statement.setFetchSize(request.pageSize());
          try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
              try {
                rows.add(SourceRowReader.row(result));
              } catch (IllegalArgumentException unsupported) {
                Map<String, Object> keyOnly = new LinkedHashMap<>();
                for (String key : keys) {
                  keyOnly.put(key, result.getString(key));
                }
                log.warn("backfill: row {} of {} holds {}; handing it to its own sync workflow", keyOnly.values(),
                    table, unsupported.getMessage());
                rows.add(keyOnly);
                unreadable.add(keyOnly);
              }
            }
          }
        }
        long position = RowReads.walInsertPosition(connection);
        connection.commit();
        Instant now = clock.instant();
        List<ChangeEvent> events = new ArrayList<>();
        List<ChangeEvent> failed = new ArrayList<>();
        for (Map<String, Object> row : rows) {
          ChangeEvent event = event(table, row, position, now);
          if (unreadable.contains(row)) {
            failed.add(event.withDataFromSource());
          } else {
            events.add(event);
          }
        }
        String lastKey = rows.isEmpty() ? afterKey : event(table, rows.get(rows.size() - 1), position, now).entityId();
        return new Page(table, position, events, failed, rows.size(), lastKey);
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure("a row of table '" + table + "' holds " + e.getMessage(),
          FailureType.INVALID_DATA.type());
    } catch (SQLException e) {
      throw PostgresFailures.failure("reading a backfill page of table '" + table + "' after key " + afterKey, e);
    }
  }

  /** Writes a page's plannable rows in one Neo4j transaction, then marks the entity rows synced. */
  private PageOutcome write(Page page) {
    BatchGraphWriter.Outcome written = graph.write(page.events(), Map.of("app", "graphsync", "backfill",
        page.table(), "position", page.position()));
    List<ChangeEvent> failed = new ArrayList<>();
    List<SyncStatusUpdate> synced = new ArrayList<>();
    for (ChangeEvent event : page.events()) {
      String invalid = written.invalid().get(event.eventId());
      if (invalid != null) {
        log.warn("backfill: row {} of {} cannot be written ({}); handing it to its own sync workflow",
            event.entityId(), event.table(), invalid);
        failed.add(event.withDataFromSource());
      } else if (event.version() != null) {
        // written, or already newer in the graph: this version is synced either way
        synced.add(new SyncStatusUpdate(event.table(), event.entityId(), event.version(), SyncStatus.SUCCESS, 1,
            null, written.applied().get(event.eventId())));
      }
    }
    if (!synced.isEmpty()) {
      status.write(synced);
    }
    return new PageOutcome(written.applied().size(), failed);
  }

  private ChangeEvent event(String table, Map<String, Object> row, long position, Instant now) {
    List<String> keys = columns.keyColumns(table);
    String entityId = keys.stream().map(key -> String.valueOf(row.get(key))).collect(Collectors.joining(
        EntityKey.SEPARATOR));
    Optional<TableMapping> entity = mapping.table(table);
    String entityType = entity.map(TableMapping::label)
        .orElseGet(() -> mapping.joinTable(table).map(JoinTableMapping::type).orElseThrow());
    Long version = row.get("pg_version") instanceof Number number && entity.isPresent() ? number.longValue() : null;
    return ChangeEvent.builder(EventSource.BACKFILL, EventType.CREATE).entity(table, entityType, entityId)
        .correlationId("backfill").timestamp(now).data(row).version(version).position(position).build();
  }

  /**
   * The WHERE clause of a page or count: tenant, cursor (row comparison over the key columns, typed as the catalog
   * says, so the primary-key index serves it) and key range.
   */
  private Query where(Connection connection, String table, String tenantId, String afterKey, String fromKey,
      String toKey) throws SQLException {
    List<String> keys = columns.keyColumns(table);
    Map<String, String> types = types(connection, table);
    List<String> conditions = new ArrayList<>();
    List<Object> parameters = new ArrayList<>();
    if (tenantId != null) {
      String tenantColumn = tenantColumn(table);
      if (tenantColumn == null) {
        conditions.add("false"); // a table without tenants has no rows of one tenant
      } else {
        conditions.add(quote(tenantColumn) + " = CAST(? AS " + types.get(tenantColumn) + ")");
        parameters.add(tenantId);
      }
    }
    if (afterKey != null) {
      List<String> parts = splitKey(table, afterKey, keys.size());
      conditions.add("(" + keys.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "))
          + ") > (" + keys.stream().map(key -> "CAST(? AS " + types.get(key) + ")")
          .collect(Collectors.joining(", ")) + ")");
      parameters.addAll(parts);
    }
    if (fromKey != null) {
      conditions.add(quote(keys.get(0)) + " >= CAST(? AS " + types.get(keys.get(0)) + ")");
      parameters.add(fromKey);
    }
    if (toKey != null) {
      conditions.add(quote(keys.get(0)) + " <= CAST(? AS " + types.get(keys.get(0)) + ")");
      parameters.add(toKey);
    }
    return new Query(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), parameters);
  }

  private static List<String> splitKey(String table, String key, int parts) {
    if (parts == 1) {
      return List.of(key);
    }
    List<String> split = EntityKey.parts(key);
    if (split.size() != parts) {
      throw ApplicationFailure.newNonRetryableFailure("cursor '" + key + "' of join table '" + table + "' is not "
          + parts + " keys joined with '" + EntityKey.SEPARATOR + "'", FailureType.INVALID_DATA.type());
    }
    return split;
  }

  private String tenantColumn(String table) {
    return mapping.table(table).map(TableMapping::tenantColumn)
        .orElseGet(() -> mapping.joinTable(table).map(JoinTableMapping::tenantColumn).orElse(null));
  }

  /** Column → its type as PostgreSQL prints it ({@code format_type}), read once per table. */
  private Map<String, String> types(Connection connection, String table) throws SQLException {
    Map<String, String> known = columnTypes.get(table);
    if (known != null) {
      return known;
    }
    Map<String, String> types = Catalog.columnTypeNames(connection, table);
    if (types.isEmpty()) {
      throw new IllegalStateException("table " + table + " not found in PostgreSQL");
    }
    columnTypes.put(table, Map.copyOf(types));
    return types;
  }

  private List<String> allTables() {
    List<String> tables = new ArrayList<>();
    mapping.tables().forEach(table -> tables.add(table.table()));
    mapping.joinTables().forEach(join -> tables.add(join.table()));
    return tables;
  }

  private boolean isMapped(String table) {
    return mapping.table(table).isPresent() || mapping.joinTable(table).isPresent();
  }

  private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      statement.setObject(i + 1, parameters.get(i));
    }
  }


}
