package io.graphsync.activities.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsync.activities.backflow.GraphStampActivitiesImpl;
import io.graphsync.activities.mapping.Identifiers;
import io.graphsync.activities.neo4j.MutationPlanner;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.postgres.PostgresFailures;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.reconcile.ComparisonRequest;
import io.graphsync.workflows.reconcile.ComparisonResult;
import io.graphsync.workflows.reconcile.Finding;
import io.graphsync.workflows.reconcile.RecheckResult;
import io.graphsync.workflows.reconcile.ReconciliationActivities;
import io.graphsync.workflows.reconcile.ReconciliationRun;
import io.graphsync.workflows.reconcile.ReconciliationSummary;
import io.graphsync.workflows.reconcile.RecordedFinding;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares PostgreSQL with Neo4j page by page and records the findings.
 *
 * <p><b>A page</b> reads up to {@code pageSize} rows after the cursor in one REPEATABLE READ, read-only transaction
 * (keys in text order: {@code ORDER BY key} for uuid keys, whose text order is their byte order, else
 * {@code key::text COLLATE "C"}), and up to {@code pageSize} graph elements after the cursor ({@code ORDER BY n.id}).
 * Only keys up to the smaller of the two last keys are compared (a full side may have more beyond it), and the next
 * page starts after that key. With a tenant scope, a key found on one side only is looked up on the other side
 * without the tenant filter (in the same snapshot), so a moved tenant shows as a difference, not as missing.
 *
 * <p><b>Heartbeats</b>: after every page the activity heartbeats its progress (cursor, counts and candidates so
 * far); a retried attempt (worker crash, heartbeat timeout) resumes from the last heartbeat instead of starting over.
 *
 * <p><b>Representation</b>: rows are read as the capture gives them ({@code SourceRowReader.row}) and converted with
 * the graph writer's own planner ({@link MutationPlanner}), so both sides are compared as the graph would store
 * them; see {@link CanonicalValues} for the canonical values and the hash.
 */
public class ReconciliationActivitiesImpl implements ReconciliationActivities {

  private static final Logger log = LoggerFactory.getLogger(ReconciliationActivitiesImpl.class);
  private static final ObjectMapper JSON = JacksonJsonPayloadConverter.newDefaultObjectMapper();

  /** How long an earlier repair of the same row version that has not reached the graph holds back another one. */
  public static final Duration DEFAULT_REPAIR_COOLDOWN = Duration.ofHours(24);

  private final DataSource dataSource;
  private final Driver driver;
  private final Duration repairCooldown;
  private final SessionConfig sessionConfig;
  private final Map<String, ComparedTable> tables = new LinkedHashMap<>();
  /** Tables of back-flow node cases → their label: a node edited in the graph that has not flowed back is in flight. */
  private final Map<String, String> backflowLabels = new HashMap<>();

  /**
   * @param mapping the mapping resolved by {@link io.graphsync.activities.mapping.MappingValidator}
   * @param neo4j the graph: driver and database
   */
  public ReconciliationActivitiesImpl(DataSource dataSource, Neo4jTarget neo4j, GraphMapping mapping) {
    this(dataSource, neo4j, mapping, DEFAULT_REPAIR_COOLDOWN);
  }

  /**
   * @param repairCooldown how long a repair that has not reached the graph (failed, or still running) marks later
   *     findings of the same entity and row version as {@link Finding#pendingRepair()}, so scheduled runs do not pile
   *     up syncs that fail the same way; after it, the entity is repaired again
   */
  public ReconciliationActivitiesImpl(DataSource dataSource, Neo4jTarget neo4j, GraphMapping mapping,
      Duration repairCooldown) {
    this.repairCooldown = repairCooldown;
    this.dataSource = dataSource;
    this.driver = neo4j.driver();
    this.sessionConfig = neo4j.sessionConfig();
    MutationPlanner planner = new MutationPlanner(mapping);
    Map<String, String> labels = new HashMap<>();
    mapping.tables().forEach(table -> labels.put(table.table(), table.label()));
    for (TableMapping table : mapping.tables()) {
      tables.put(table.table(), new EntityTable(table, planner, labels));
    }
    for (JoinTableMapping join : mapping.joinTables()) {
      tables.put(join.table(), new JoinTable(join, planner, labels));
    }
    mapping.backflow().stream().filter(c -> !c.relationship()).forEach(c -> mapping.tables().stream()
        .filter(t -> c.label().equals(t.label())).findFirst()
        .ifPresent(t -> backflowLabels.put(t.table(), t.label())));
  }

  // --- the run -----------------------------------------------------------------------------------------------------

  @Override
  public ReconciliationRun beginRun(String workflowId, String temporalRunId, List<String> requested,
      String tenantId) {
    List<String> resolved = requested == null || requested.isEmpty() ? List.copyOf(tables.keySet()) : requested;
    for (String table : resolved) {
      table(table);
    }
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement("""
             INSERT INTO graphsync.reconciliation_run (workflow_id, temporal_run_id, tables, tenant_id)
             VALUES (?, ?, ?, ?)
             ON CONFLICT (workflow_id, temporal_run_id) DO UPDATE SET tables = EXCLUDED.tables
             RETURNING id""")) {
      statement.setString(1, workflowId);
      statement.setString(2, temporalRunId);
      statement.setArray(3, connection.createArrayOf("text", resolved.toArray()));
      statement.setString(4, tenantId);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        long runId = rows.getLong(1);
        log.info("reconciliation run {} ({}): tables {}, tenant {}", runId, workflowId, resolved, tenantId);
        return new ReconciliationRun(runId, resolved);
      }
    } catch (SQLException e) {
      throw PostgresFailures.failure("recording the reconciliation run", e);
    }
  }

  @Override
  public void recordFindings(long runId, List<RecordedFinding> findings) {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement("""
             INSERT INTO graphsync.reconciliation_finding (run_id, finding_type, table_name, entity_type, entity_id,
                 tenant_id, detail, action, workflow_id, repair_position)
             VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?)
             ON CONFLICT (run_id, table_name, entity_id) DO UPDATE SET finding_type = EXCLUDED.finding_type,
                 entity_type = EXCLUDED.entity_type, tenant_id = EXCLUDED.tenant_id, detail = EXCLUDED.detail,
                 action = EXCLUDED.action, workflow_id = EXCLUDED.workflow_id,
                 repair_position = EXCLUDED.repair_position""")) {
      for (RecordedFinding recorded : findings) {
        Finding finding = recorded.finding();
        statement.setLong(1, runId);
        statement.setString(2, finding.type().name());
        statement.setString(3, finding.table());
        statement.setString(4, finding.entityType());
        statement.setString(5, finding.entityId());
        statement.setString(6, finding.tenantId());
        statement.setString(7, json(finding));
        statement.setString(8, recorded.action().name());
        statement.setString(9, recorded.workflowId());
        if (recorded.position() == null) {
          statement.setNull(10, Types.BIGINT);
        } else {
          statement.setLong(10, recorded.position());
        }
        statement.addBatch();
      }
      statement.executeBatch();
    } catch (SQLException e) {
      throw PostgresFailures.failure("recording " + findings.size() + " findings of run " + runId, e);
    }
  }

  @Override
  public void finishRun(long runId, ReconciliationSummary summary) {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement("""
             UPDATE graphsync.reconciliation_run SET status = 'FINISHED', finished_at = now(),
                 summary = CAST(? AS jsonb) WHERE id = ?""")) {
      statement.setString(1, json(summary));
      statement.setLong(2, runId);
      statement.executeUpdate();
    } catch (SQLException e) {
      throw PostgresFailures.failure("finishing reconciliation run " + runId, e);
    }
  }

  // --- comparison --------------------------------------------------------------------------------------------------

  @Override
  public ComparisonResult compare(ComparisonRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    Optional<ComparisonResult> resumed = context.getHeartbeatDetails(ComparisonResult.class);
    return compare(request, resumed.orElse(null), context::heartbeat);
  }

  /**
   * The activity's work outside of an activity context (the benchmark): resumes from {@code resumed} when it is
   * progress of the same table, hands its progress to {@code heartbeat} after every page.
   */
  ComparisonResult compare(ComparisonRequest request, ComparisonResult resumed,
      Consumer<ComparisonResult> heartbeat) {
    ComparedTable table = table(request.table());
    ComparisonResult progress;
    if (resumed != null && request.table().equals(resumed.table())) {
      log.info("comparison of {} resumes after key {} ({} pages done before the retry)", request.table(),
          resumed.nextKey(), resumed.pages());
      progress = resumed;
    } else {
      progress = new ComparisonResult(request.table(), request.afterKey(), false, 0, 0, 0, List.of());
    }
    while (!progress.done() && progress.pages() < request.maxPages()
        && progress.candidates().size() < request.maxCandidates()) {
      Page page = page(table, progress.nextKey(), request.pageSize(), request.tenantId());
      List<Finding> candidates = new ArrayList<>(progress.candidates());
      candidates.addAll(page.candidates());
      progress = new ComparisonResult(request.table(), page.nextKey(), page.nextKey() == null, progress.pages() + 1,
          progress.rows() + page.rows(), progress.nodes() + page.elements(), candidates);
      heartbeat.accept(progress);
    }
    return progress;
  }

  /** One compared page: the cursor after it (null at the end of the table), and what it found. */
  record Page(String nextKey, int rows, int elements, List<Finding> candidates) {}

  Page page(ComparedTable table, String afterKey, int limit, String tenantId) {
    Comparator<String> order = table.keyOrder();
    Map<String, ComparedTable.Row> rows = new HashMap<>();
    Map<String, ComparedTable.Element> elements = new HashMap<>();
    String bound;
    int rowCount;
    int elementCount;
    try (Connection connection = snapshot()) {
      try (Session session = driver.session(sessionConfig)) {
        List<ComparedTable.Row> rowPage = table.rows(connection, afterKey, limit, tenantId);
        List<ComparedTable.Element> elementPage = table.elements(session, afterKey, limit, tenantId);
        // a full side may hold more keys beyond its last one: compare only up to the smaller last key
        bound = null;
        if (rowPage.size() >= limit) {
          bound = rowPage.get(rowPage.size() - 1).key();
        }
        if (elementPage.size() >= limit) {
          String last = elementPage.get(elementPage.size() - 1).key();
          bound = bound == null || order.compare(last, bound) < 0 ? last : bound;
        }
        String upTo = bound;
        rowPage.stream().filter(row -> upTo == null || order.compare(row.key(), upTo) <= 0)
            .forEach(row -> rows.put(row.key(), row));
        elementPage.stream().filter(element -> upTo == null || order.compare(element.key(), upTo) <= 0)
            .forEach(element -> elements.putIfAbsent(element.key(), element));
        if (bound == null) {
          table.unordered(session, tenantId).forEach(element -> elements.putIfAbsent(element.key(), element));
        }
        rowCount = rows.size();
        elementCount = elements.size();
        if (tenantId != null) {
          List<String> withoutElement = rows.keySet().stream().filter(key -> !elements.containsKey(key)).toList();
          table.elements(session, withoutElement).forEach(element -> elements.putIfAbsent(element.key(), element));
          List<String> withoutRow = elements.keySet().stream().filter(key -> !rows.containsKey(key)).toList();
          table.rows(connection, withoutRow).forEach(row -> rows.put(row.key(), row));
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw PostgresFailures.failure("reading a page of " + table.table() + " after " + afterKey, e);
    }
    TreeSet<String> keys = new TreeSet<>(order);
    keys.addAll(rows.keySet());
    keys.addAll(elements.keySet());
    List<Finding> candidates = new ArrayList<>();
    for (String key : keys) {
      table.classify(key, rows.get(key), elements.get(key), false).ifPresent(candidates::add);
    }
    return new Page(bound, rowCount, elementCount, candidates);
  }

  /**
   * Drops the findings of nodes of back-flow cases that were edited in the graph and have not flowed back yet (write
   * contract: {@code neo4jModifiedAt} set, {@code neo4jVersion} ahead of {@code backflowVersion}): a graph-born node
   * without its row yet, an edit whose row is not written yet — and of nodes held for an open manual conflict
   * ({@code backflowHold}: the conflict owns them until a person decides). They are in flight (the back-flow's or the
   * conflict's workflow owns them), not drift; if the back-flow fails, its workflow waits FAILED in the Web UI.
   */
  private List<Finding> withoutPendingBackflow(Session session, List<Finding> confirmed) {
    Map<String, List<String>> idsByLabel = new HashMap<>();
    for (Finding finding : confirmed) {
      String label = backflowLabels.get(finding.table());
      if (label != null && finding.inNeo4j()) {
        idsByLabel.computeIfAbsent(label, l -> new ArrayList<>()).add(finding.entityId());
      }
    }
    if (idsByLabel.isEmpty()) {
      return confirmed;
    }
    Set<String> pending = new HashSet<>();
    for (Map.Entry<String, List<String>> entry : idsByLabel.entrySet()) {
      String cypher = "MATCH (n:" + Identifiers.quote(entry.getKey())
          + ") WHERE n.id IN $ids AND ((n.neo4jModifiedAt IS NOT NULL"
          + " AND coalesce(n.neo4jVersion, 0) > coalesce(n.backflowVersion, 0))"
          + " OR n." + GraphStampActivitiesImpl.HOLD + " IS NOT NULL) RETURN n.id AS id";
      session.executeRead(tx -> tx.run(cypher, Map.of("ids", entry.getValue())).list())
          .forEach(record -> pending.add(entry.getKey() + "/" + record.get("id").asString()));
    }
    return confirmed.stream().filter(finding -> !pending.contains(backflowLabels.get(finding.table()) + "/"
        + finding.entityId())).toList();
  }

  @Override
  public RecheckResult recheck(List<Finding> candidates) {
    Map<String, List<Finding>> byTable = new LinkedHashMap<>();
    candidates.forEach(candidate -> byTable.computeIfAbsent(candidate.table(), t -> new ArrayList<>()).add(candidate));
    List<Finding> confirmed = new ArrayList<>();
    int inFlight = 0;
    long position;
    try (Connection connection = snapshot()) {
      position = walPosition(connection);
      try (Session session = driver.session(sessionConfig)) {
        for (Map.Entry<String, List<Finding>> entry : byTable.entrySet()) {
          ComparedTable table = table(entry.getKey());
          List<String> keys = entry.getValue().stream().map(Finding::entityId).distinct().toList();
          Map<String, ComparedTable.Row> rows = new HashMap<>();
          table.rows(connection, keys).forEach(row -> rows.put(row.key(), row));
          Map<String, ComparedTable.Element> elements = new HashMap<>();
          table.elements(session, keys).forEach(element -> elements.putIfAbsent(element.key(), element));
          for (Finding candidate : entry.getValue()) {
            Optional<Finding> now = table.classify(candidate.entityId(), rows.get(candidate.entityId()),
                elements.get(candidate.entityId()), true);
            if (now.isPresent() && candidate.sameAs(now.get())) {
              confirmed.add(now.get());
            } else {
              inFlight++;
              log.debug("candidate {} {} {} changed during the grace period: now {}", candidate.type(),
                  candidate.table(), candidate.entityId(), now.map(Finding::reason).orElse("in sync"));
            }
          }
        }
      }
      int before = confirmed.size();
      try (Session session = driver.session(sessionConfig)) {
        confirmed = withoutPendingBackflow(session, confirmed);
      }
      inFlight += before - confirmed.size();
      confirmed = withPendingRepairs(connection, confirmed);
      connection.commit();
    } catch (SQLException e) {
      throw PostgresFailures.failure("re-checking " + candidates.size() + " candidates", e);
    }
    return new RecheckResult(position, confirmed, inFlight);
  }

  /**
   * Marks the findings whose entity had a repair started within the cooldown, at the same row version, that has not
   * reached the graph (its position above the element's {@code syncPosition}, or the element still unsynced).
   */
  private List<Finding> withPendingRepairs(Connection connection, List<Finding> findings) throws SQLException {
    if (findings.isEmpty()) {
      return findings;
    }
    Map<String, String[]> repairs = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement("""
        SELECT DISTINCT ON (table_name, entity_id) table_name, entity_id, workflow_id, repair_position,
               detail->>'rowVersion'
        FROM graphsync.reconciliation_finding
        WHERE action = 'REPAIR_STARTED' AND found_at > now() - make_interval(secs => ?)
          AND (table_name, entity_id) IN (SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[])))
        ORDER BY table_name, entity_id, found_at DESC""")) {
      statement.setDouble(1, repairCooldown.toMillis() / 1000.0);
      statement.setArray(2, connection.createArrayOf("text", findings.stream().map(Finding::table).toArray()));
      statement.setArray(3, connection.createArrayOf("text", findings.stream().map(Finding::entityId).toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          repairs.put(rows.getString(1) + "\u0000" + rows.getString(2),
              new String[] {rows.getString(3), rows.getString(4), rows.getString(5)});
        }
      }
    }
    List<Finding> marked = new ArrayList<>(findings.size());
    for (Finding finding : findings) {
      String[] repair = repairs.get(finding.table() + "\u0000" + finding.entityId());
      boolean pending = repair != null && repair[1] != null
          && java.util.Objects.equals(repair[2], finding.rowVersion() == null ? null : finding.rowVersion().toString())
          && (finding.syncPosition() == null || Long.parseLong(repair[1]) > finding.syncPosition());
      if (pending) {
        log.info("{} {} {}: the repair {} of the same version has not reached the graph; not repairing again",
            finding.type(), finding.table(), finding.entityId(), repair[0]);
      }
      marked.add(pending ? finding.withPendingRepair(repair[0]) : finding);
    }
    return marked;
  }

  /** A read-only connection in a REPEATABLE READ transaction: one snapshot for everything read through it. */
  private Connection snapshot() throws SQLException {
    Connection connection = dataSource.getConnection();
    try {
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      return connection;
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
  }

  /** {@code pg_current_wal_lsn()} as a long, the form of the capture's positions. */
  static long walPosition(Connection connection) throws SQLException {
    try (PreparedStatement statement =
             connection.prepareStatement("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint");
         ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private ComparedTable table(String name) {
    ComparedTable table = tables.get(name);
    if (table == null) {
      throw ApplicationFailure.newNonRetryableFailure("table '" + name + "' is not in the graph mapping (mapped: "
          + tables.keySet() + ")", FailureType.UNMAPPED_TABLE.type());
    }
    return table;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }
}
