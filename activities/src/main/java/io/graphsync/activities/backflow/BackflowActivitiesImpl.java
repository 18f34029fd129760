package io.graphsync.activities.backflow;

import static io.graphsync.activities.mapping.Identifiers.quote;
import static io.graphsync.activities.postgres.SqlIdentifiers.qualified;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsync.activities.mapping.MappedColumn;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.postgres.Catalog;
import io.graphsync.activities.postgres.Catalog.ColumnType;
import io.graphsync.activities.postgres.PostgresFailures;
import io.graphsync.activities.postgres.RowReads;
import io.graphsync.activities.postgres.SqlIdentifiers;
import io.graphsync.activities.resolve.GraphValues;
import io.graphsync.activities.resolve.ResolutionActivitiesImpl;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.backflow.BackflowActivities;
import io.graphsync.workflows.backflow.BackflowOutcome;
import io.graphsync.workflows.backflow.BackflowWrite;
import io.graphsync.workflows.backflow.GraphChange;
import io.graphsync.workflows.backflow.PollRequest;
import io.graphsync.workflows.backflow.PollResult;
import io.graphsync.workflows.mapping.ConflictPolicy;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.PropertyDifference;
import io.graphsync.workflows.sync.ChangeEvent;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The back-flow on the real stores.
 *
 * <p><b>Poll</b>: per case one read of the elements whose {@code neo4jModifiedAt} is at or after the watermark minus
 * the overlap (served by the range index {@link BackflowSchema} creates) and whose {@code neo4jVersion} is ahead of
 * their {@code backflowVersion}, oldest first.
 *
 * <p><b>Write</b>: reads the element as it is now, then in one PostgreSQL transaction locks the row
 * ({@code FOR UPDATE}) and decides. No row and a graph-born node (no {@code pgVersion}): INSERT. A row that still has
 * the version the node was based on (its {@code pgVersion}), or whose last business write was the back-flow's own
 * ({@code sync_origin} set): UPDATE of the case's columns, guarded by that {@code pg_version}, skipped when the row
 * holds the values already. Otherwise both sides changed and the case's policy decides: {@code POSTGRES_WINS} keeps the
 * row, {@code NEO4J_WINS_IF_NEWER} compares the node's {@code neo4jModifiedAt} with the row's {@code last_modified_at},
 * {@code MANUAL} returns the conflict with both sides. A row deleted in PostgreSQL after the element was synced from it
 * always wins (the delete reaches the graph). Join rows have no version: a row modified after the relationship last
 * received a sync ({@code last_modified_at} after its {@code lastSyncedAt}) counts as changed on both sides.
 *
 * <p>Every write sets {@code sync_origin = 'neo4j:<neo4jVersion>'}, which the capture recognises.
 *
 * <p>Failures: a value PostgreSQL refuses (class 22, 23: not a uuid, a NOT NULL column the node lacks) is a
 * non-retryable {@code InvalidData}; other errors are retried.
 */
public class BackflowActivitiesImpl implements BackflowActivities {

  private static final Logger log = LoggerFactory.getLogger(BackflowActivitiesImpl.class);

  /** The kind of a conflict the back-flow hands to a person. */
  public static final String BOTH_CHANGED = "CHANGED_IN_NEO4J_AND_POSTGRES";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSource dataSource;
  private final Driver driver;
  private final SessionConfig sessionConfig;
  private final BackflowCases cases;
  private final ResolutionActivitiesImpl rewrites;
  private final Map<String, Map<String, ColumnType>> columnTypes = new ConcurrentHashMap<>();

  /**
   * @param mapping the mapping resolved by {@link io.graphsync.activities.mapping.MappingValidator}
   * @param neo4j the graph: driver and database
   */
  public BackflowActivitiesImpl(DataSource dataSource, Neo4jTarget neo4j, GraphMapping mapping) {
    this.dataSource = dataSource;
    this.driver = neo4j.driver();
    this.sessionConfig = neo4j.sessionConfig();
    this.cases = new BackflowCases(mapping);
    this.rewrites = new ResolutionActivitiesImpl(dataSource, neo4j, mapping);
  }

  // --- poll ---------------------------------------------------------------------------------------------------

  @Override
  public PollResult pollChanges(PollRequest request) {
    Instant since = request.since() == null ? Instant.EPOCH : request.since().minusMillis(request.overlapMillis());
    List<GraphChange> changes = new ArrayList<>();
    Instant watermark = request.since();
    Instant limitedAt = null;
    boolean more = false;
    try (Session session = driver.session(sessionConfig)) {
      for (BackflowCases.Resolved resolved : cases.all()) {
        List<Record> records = session.executeRead(tx -> tx.run(pollQuery(resolved),
            Map.of("since", ZonedDateTime.ofInstant(since, ZoneOffset.UTC), "limit", request.limit() + 1)).list());
        int taken = 0;
        for (Record record : records) {
          if (taken == request.limit()) {
            more = true;
            break;
          }
          Optional<GraphChange> change = change(resolved, record);
          if (change.isEmpty()) {
            continue;
          }
          taken++;
          changes.add(change.get());
          Instant modified = change.get().modifiedAt();
          watermark = watermark == null || modified.isAfter(watermark) ? modified : watermark;
          if (taken == request.limit() && records.size() > request.limit()) {
            limitedAt = limitedAt == null || modified.isBefore(limitedAt) ? modified : limitedAt;
          }
        }
      }
    }
    if (limitedAt != null) {
      // a case with more to read must not have its watermark pass what it has not read yet
      watermark = limitedAt;
    }
    return new PollResult(changes, watermark, more);
  }

  static String pollQuery(BackflowCases.Resolved resolved) {
    if (resolved.relationship()) {
      return "MATCH (a:" + quote(resolved.fromLabel()) + ")-[r:" + quote(resolved.join().type()) + "]->(b:"
          + quote(resolved.toLabel()) + ")\n"
          + "WHERE r.neo4jModifiedAt >= $since AND r.neo4jVersion > coalesce(r.backflowVersion, 0)\n"
          + "RETURN a.id AS from, b.id AS to, coalesce(r.tenantId, a.tenantId) AS tenantId, r.neo4jVersion AS version,"
          + " r.neo4jModifiedAt AS modifiedAt\n"
          + "ORDER BY r.neo4jModifiedAt LIMIT $limit";
    }
    return "MATCH (n:" + quote(resolved.entity().label()) + ")\n"
        + "WHERE n.neo4jModifiedAt >= $since AND n.neo4jVersion > coalesce(n.backflowVersion, 0)"
        + " AND NOT coalesce(n.placeholder, false)\n"
        + "RETURN n.id AS id, n.tenantId AS tenantId, n.neo4jVersion AS version, n.neo4jModifiedAt AS modifiedAt\n"
        + "ORDER BY n.neo4jModifiedAt LIMIT $limit";
  }

  /** The change of a polled record; empty (and logged) for an element that breaks the write contract. */
  private static Optional<GraphChange> change(BackflowCases.Resolved resolved, Record record) {
    String id;
    if (resolved.relationship()) {
      Value from = record.get("from");
      Value to = record.get("to");
      id = from.hasType(org.neo4j.driver.types.TypeSystem.getDefault().STRING())
          && to.hasType(org.neo4j.driver.types.TypeSystem.getDefault().STRING())
          ? from.asString() + "|" + to.asString() : null;
    } else {
      Value value = record.get("id");
      id = value.hasType(org.neo4j.driver.types.TypeSystem.getDefault().STRING()) ? value.asString() : null;
    }
    Object version = record.get("version").asObject();
    Object modified = record.get("modifiedAt").asObject();
    if (id == null || !(version instanceof Long neo4jVersion) || !(modified instanceof ZonedDateTime modifiedAt)) {
      log.warn("back-flow {}: skipping an element that breaks the write contract (id {}, neo4jVersion {}, "
          + "neo4jModifiedAt {}): it needs a string id, an integer neo4jVersion and a datetime neo4jModifiedAt",
          resolved.name(), id, version, modified);
      return Optional.empty();
    }
    Value tenant = record.get("tenantId");
    return Optional.of(new GraphChange(resolved.name(), resolved.relationship(), resolved.table(), id,
        tenant.isNull() ? null : String.valueOf(tenant.asObject()), neo4jVersion, modifiedAt.toInstant()));
  }

  // --- write --------------------------------------------------------------------------------------------------

  @Override
  public BackflowWrite writeToPostgres(GraphChange change) {
    BackflowCases.Resolved resolved = resolved(change);
    Optional<Element> found = element(resolved, change);
    if (found.isEmpty()) {
      return new BackflowWrite(BackflowOutcome.NOTHING_TO_DO, null, null, "the element is gone from the graph");
    }
    Element element = found.get();
    if (element.neo4jVersion() <= element.backflowVersion()) {
      return new BackflowWrite(BackflowOutcome.NOTHING_TO_DO, null, null, "neo4jVersion " + element.neo4jVersion()
          + " was synced already");
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        BackflowWrite write = write(connection, resolved, change, element);
        connection.commit();
        return write;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw PostgresFailures.failure("writing " + resolved.name() + " " + change.entityId() + " into "
          + resolved.table(), e);
    }
  }

  private BackflowWrite write(Connection connection, BackflowCases.Resolved resolved, GraphChange change,
      Element element) throws SQLException {
    String origin = GraphMapping.NEO4J_ORIGIN_PREFIX + element.neo4jVersion();
    Optional<Row> row = lockRow(connection, resolved, change);
    if (row.isEmpty()) {
      if (element.syncedFromPostgres()) {
        return new BackflowWrite(BackflowOutcome.POSTGRES_WINS, null, null,
            "the row was deleted in PostgreSQL after the element was synced from it: the delete wins");
      }
      Long version = insert(connection, resolved, change, element, origin);
      return new BackflowWrite(BackflowOutcome.WRITTEN, version, null, "inserted into " + resolved.table()
          + " from neo4jVersion " + element.neo4jVersion());
    }
    boolean bothChanged = resolved.relationship()
        ? !row.get().fromGraph() && element.lastSyncedAt() != null && row.get().modifiedAt() != null
            && row.get().modifiedAt().isAfter(element.lastSyncedAt())
        : !row.get().fromGraph() && !Objects.equals(element.pgVersion(), row.get().version());
    BackflowOutcome written = BackflowOutcome.WRITTEN;
    if (bothChanged) {
      ConflictPolicy policy = resolved.declared().policy();
      String sides = "row " + (resolved.relationship() ? "modified " + row.get().modifiedAt()
          : "pg_version " + row.get().version()) + ", element based on " + (resolved.relationship()
          ? "the sync of " + element.lastSyncedAt() : "pg_version " + element.pgVersion());
      if (policy == ConflictPolicy.MANUAL) {
        return new BackflowWrite(BackflowOutcome.MANUAL, row.get().version(),
            conflict(connection, resolved, change, element, row.get()), "both sides changed (" + sides
                + "): handed to a person");
      }
      boolean neo4jNewer = policy == ConflictPolicy.NEO4J_WINS_IF_NEWER && element.modifiedAt() != null
          && row.get().modifiedAt() != null && element.modifiedAt().isAfter(row.get().modifiedAt());
      if (!neo4jNewer) {
        return new BackflowWrite(BackflowOutcome.POSTGRES_WINS, row.get().version(), null, "both sides changed ("
            + sides + "), policy " + policy + ": the row stays" + (policy == ConflictPolicy.NEO4J_WINS_IF_NEWER
            ? " (modified " + row.get().modifiedAt() + ", the node " + element.modifiedAt() + ")" : ""));
      }
      written = BackflowOutcome.NEO4J_WINS;
    }
    Long version = update(connection, resolved, change, element, origin, row.get().version());
    if (version == null) {
      return new BackflowWrite(BackflowOutcome.UNCHANGED, row.get().version(), null,
          "the row already held the element's values");
    }
    return new BackflowWrite(written, version, null, resolved.table() + " updated from neo4jVersion "
        + element.neo4jVersion() + (resolved.relationship() ? "" : ": pg_version " + row.get().version() + " -> "
        + version) + (written == BackflowOutcome.NEO4J_WINS ? " (both changed; the node was modified last)" : ""));
  }

  /** The row's version, origin and modification time, locked for the transaction. */
  private record Row(Long version, String origin, Instant modifiedAt, Map<String, Object> values) {

    boolean fromGraph() {
      return origin != null && origin.startsWith(GraphMapping.NEO4J_ORIGIN_PREFIX);
    }
  }

  private Optional<Row> lockRow(Connection connection, BackflowCases.Resolved resolved, GraphChange change)
      throws SQLException {
    String sql = "SELECT " + (resolved.relationship() ? "NULL::bigint" : "pg_version")
        + ", sync_origin, last_modified_at, to_jsonb(t) FROM " + qualified(resolved.table()) + " t WHERE "
        + keyCondition(resolved) + " FOR UPDATE";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bindKeys(statement, 1, resolved, change);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        long version = rows.getLong(1);
        Long pgVersion = rows.wasNull() ? null : version;
        Timestamp modified = rows.getTimestamp(3);
        Map<String, Object> values = new LinkedHashMap<>();
        String json = rows.getString(4);
        values.put("__json", json);
        return Optional.of(new Row(pgVersion, rows.getString(2), modified == null ? null : modified.toInstant(),
            values));
      }
    }
  }

  private Long insert(Connection connection, BackflowCases.Resolved resolved, GraphChange change, Element element,
      String origin) throws SQLException {
    Map<String, ColumnType> types = columnTypes(connection, resolved.table());
    List<String> columns = new ArrayList<>();
    List<String> values = new ArrayList<>();
    if (resolved.relationship()) {
      columns.add(SqlIdentifiers.quote(resolved.join().fromColumn()));
      columns.add(SqlIdentifiers.quote(resolved.join().toColumn()));
    } else {
      columns.add(SqlIdentifiers.quote(resolved.entity().key()));
    }
    keysOf(resolved, change).forEach(key -> values.add("?"));
    String tenantColumn = resolved.relationship() ? resolved.join().tenantColumn() : resolved.entity().tenantColumn();
    if (tenantColumn != null && !columns.contains(SqlIdentifiers.quote(tenantColumn))) {
      columns.add(SqlIdentifiers.quote(tenantColumn));
      values.add("?");
    }
    for (MappedColumn column : resolved.columns()) {
      columns.add(SqlIdentifiers.quote(column.column()));
      values.add(cast(types, resolved.table(), column));
    }
    columns.add("sync_origin");
    values.add("?");
    String sql = "INSERT INTO " + qualified(resolved.table()) + " (" + String.join(", ", columns) + ") VALUES ("
        + String.join(", ", values) + ") ON CONFLICT DO NOTHING RETURNING "
        + (resolved.relationship() ? "NULL::bigint" : "pg_version");
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int index = bindKeys(statement, 1, resolved, change);
      if (tenantColumn != null && !(resolved.relationship() ? List.of(resolved.join().fromColumn(),
          resolved.join().toColumn()) : List.of(resolved.entity().key())).contains(tenantColumn)) {
        statement.setObject(index++, element.tenantId() == null ? change.tenantId() : element.tenantId(),
            Types.OTHER);
      }
      index = bindValues(connection, statement, index, types, resolved, element);
      statement.setString(index, origin);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          // a concurrent insert of the same key won: retried, the next attempt finds the row
          throw new IllegalStateException(resolved.table() + " " + change.entityId() + " was inserted concurrently");
        }
        long version = rows.getLong(1);
        return rows.wasNull() ? null : version;
      }
    }
  }

  /** The new version (null for join rows), or null with nothing written when the row holds the values already. */
  private Long update(Connection connection, BackflowCases.Resolved resolved, GraphChange change, Element element,
      String origin, Long expectedVersion) throws SQLException {
    Map<String, ColumnType> types = columnTypes(connection, resolved.table());
    List<String> assignments = new ArrayList<>();
    List<String> current = new ArrayList<>();
    List<String> incoming = new ArrayList<>();
    for (MappedColumn column : resolved.columns()) {
      assignments.add(SqlIdentifiers.quote(column.column()) + " = " + cast(types, resolved.table(), column));
      current.add(SqlIdentifiers.quote(column.column()));
      incoming.add(cast(types, resolved.table(), column));
    }
    assignments.add("sync_origin = ?");
    String sql = "UPDATE " + qualified(resolved.table()) + " SET " + String.join(", ", assignments) + " WHERE "
        + keyCondition(resolved) + (resolved.relationship() ? "" : " AND pg_version = ?")
        + " AND ROW(" + String.join(", ", current) + ", NULL) IS DISTINCT FROM ROW(" + String.join(", ", incoming)
        + ", NULL) RETURNING " + (resolved.relationship() ? "1::bigint" : "pg_version");
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int index = bindValues(connection, statement, 1, types, resolved, element);
      statement.setString(index++, origin);
      index = bindKeys(statement, index, resolved, change);
      if (!resolved.relationship()) {
        statement.setLong(index++, expectedVersion);
      }
      bindValues(connection, statement, index, types, resolved, element);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          return null;
        }
        return resolved.relationship() ? Long.valueOf(0) : rows.getLong(1);
      }
    }
  }

  private Conflict conflict(Connection connection, BackflowCases.Resolved resolved, GraphChange change,
      Element element, Row row) {
    Map<String, Object> postgres = new LinkedHashMap<>();
    Map<String, Object> neo4j = new LinkedHashMap<>();
    List<PropertyDifference> differences = new ArrayList<>();
    Map<String, Object> rowValues = rowValues(row);
    for (MappedColumn column : resolved.columns()) {
      Object pgValue = rowValues.get(column.column());
      Object graphValue = element.properties().get(column.property());
      postgres.put(column.property(), pgValue);
      neo4j.put(column.property(), graphValue == null ? null : GraphValues.text(graphValue));
      if (!Objects.equals(pgValue == null ? null : String.valueOf(pgValue),
          graphValue == null ? null : GraphValues.text(graphValue))) {
        differences.add(new PropertyDifference(column.property(), pgValue, neo4j.get(column.property())));
      }
    }
    return new Conflict(resolved.table(), resolved.name(), change.entityId(), change.tenantId(), BOTH_CHANGED,
        row.version(), element.neo4jVersion(), postgres, neo4j, differences, Instant.now(),
        change.workflowId());
  }

  private static Map<String, Object> rowValues(Row row) {
    try {
      return JSON.readValue(String.valueOf(row.values().get("__json")), new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read the row as JSON: " + e.getOriginalMessage(), e);
    }
  }

  // --- stamp, rewrite -----------------------------------------------------------------------------------------

  @Override
  public void stampGraph(GraphChange change, Long pgVersion) {
    BackflowCases.Resolved resolved = resolved(change);
    String element = resolved.element();
    String cypher = "MATCH " + resolved.pattern() + "\n"
        + "SET " + element + ".backflowVersion = CASE WHEN coalesce(" + element + ".backflowVersion, 0) < $version"
        + " THEN $version ELSE " + element + ".backflowVersion END"
        + (pgVersion == null && !resolved.relationship() ? "" : ", " + element + ".lastSyncedAt = datetime()")
        + (pgVersion == null || resolved.relationship() ? ""
            : ", n.pgId = n.id, n.pgVersion = CASE WHEN coalesce(n.pgVersion, 0) < $pgVersion THEN $pgVersion"
                + " ELSE n.pgVersion END");
    Map<String, Object> parameters = new HashMap<>(keyParameters(resolved, change));
    parameters.put("version", change.neo4jVersion());
    parameters.put("pgVersion", pgVersion);
    try (Session session = driver.session(sessionConfig)) {
      session.executeWrite(tx -> tx.run(cypher, parameters).consume());
    }
  }

  @Override
  public ChangeEvent rewriteFromPostgres(GraphChange change) {
    BackflowCases.Resolved resolved = resolved(change);
    return rewrites.rewriteEventFromPostgres(new Conflict(resolved.table(), resolved.relationship()
        ? resolved.join().type() : resolved.entity().label(), change.entityId(), change.tenantId(), BOTH_CHANGED,
        null, change.neo4jVersion(), Map.of(), Map.of(), List.of(), Instant.now(), change.workflowId()));
  }

  // --- the element --------------------------------------------------------------------------------------------

  /** The element as it is now. */
  record Element(Map<String, Object> properties, long neo4jVersion, long backflowVersion, Long pgVersion,
      Instant modifiedAt, Instant lastSyncedAt, String tenantId) {

    boolean syncedFromPostgres() {
      return properties.get("syncPosition") != null;
    }
  }

  private Optional<Element> element(BackflowCases.Resolved resolved, GraphChange change) {
    String cypher = "MATCH " + resolved.pattern() + " RETURN properties(" + resolved.element() + ") AS p"
        + (resolved.relationship() ? ", a.tenantId AS fromTenant" : ", null AS fromTenant");
    List<Record> records;
    try (Session session = driver.session(sessionConfig)) {
      records = session.executeRead(tx -> tx.run(cypher, keyParameters(resolved, change)).list());
    }
    if (records.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> properties = records.get(0).get("p").asMap();
    if (Boolean.TRUE.equals(properties.get("placeholder"))) {
      return Optional.empty();
    }
    Object tenant = properties.getOrDefault("tenantId", records.get(0).get("fromTenant").asObject());
    return Optional.of(new Element(properties, number(properties.get("neo4jVersion")),
        number(properties.get("backflowVersion")),
        properties.get("pgVersion") instanceof Number version ? version.longValue() : null,
        instant(properties.get("neo4jModifiedAt")), instant(properties.get("lastSyncedAt")),
        tenant == null ? null : tenant.toString()));
  }

  private static long number(Object value) {
    return value instanceof Number number ? number.longValue() : 0;
  }

  private static Instant instant(Object value) {
    if (value instanceof ZonedDateTime zoned) {
      return zoned.toInstant();
    }
    if (value instanceof java.time.OffsetDateTime offset) {
      return offset.toInstant();
    }
    return null;
  }

  // --- helpers ------------------------------------------------------------------------------------------------

  private BackflowCases.Resolved resolved(GraphChange change) {
    return cases.byName(change.caseName()).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "'" + change.caseName() + "' is not a back-flow case of the mapping", FailureType.UNMAPPED_TABLE.type()));
  }

  private static List<String> keysOf(BackflowCases.Resolved resolved, GraphChange change) {
    if (!resolved.relationship()) {
      return List.of(change.entityId());
    }
    int separator = change.entityId().indexOf('|');
    if (separator < 0) {
      throw ApplicationFailure.newNonRetryableFailure("'" + change.entityId() + "' is not a relationship key "
          + "(from|to)", FailureType.INVALID_DATA.type());
    }
    return List.of(change.entityId().substring(0, separator), change.entityId().substring(separator + 1));
  }

  private static Map<String, Object> keyParameters(BackflowCases.Resolved resolved, GraphChange change) {
    List<String> keys = keysOf(resolved, change);
    return resolved.relationship() ? Map.of("from", keys.get(0), "to", keys.get(1)) : Map.of("id", keys.get(0));
  }

  private static String keyCondition(BackflowCases.Resolved resolved) {
    return resolved.relationship()
        ? SqlIdentifiers.quote(resolved.join().fromColumn()) + " = ? AND "
            + SqlIdentifiers.quote(resolved.join().toColumn()) + " = ?"
        : SqlIdentifiers.quote(resolved.entity().key()) + " = ?";
  }

  private static int bindKeys(PreparedStatement statement, int start, BackflowCases.Resolved resolved,
      GraphChange change) throws SQLException {
    return RowReads.bindKeys(statement, start, keysOf(resolved, change));
  }

  private Map<String, ColumnType> columnTypes(Connection connection, String table) throws SQLException {
    Map<String, ColumnType> types = columnTypes.get(table);
    if (types == null) {
      types = Catalog.columnTypes(connection, table);
      columnTypes.put(table, types);
    }
    return types;
  }

  private static String cast(Map<String, ColumnType> types, String table, MappedColumn column) {
    ColumnType type = types.get(column.column());
    if (type == null) {
      throw ApplicationFailure.newNonRetryableFailure("column '" + column.column() + "' of '" + table
          + "' is not in the database (the mapping no longer fits the schema)", FailureType.INVALID_DATA.type());
    }
    return "CAST(CAST(? AS " + (type.array() ? "text[]" : "text") + ") AS " + type.name() + ")";
  }

  private static int bindValues(Connection connection, PreparedStatement statement, int start,
      Map<String, ColumnType> types, BackflowCases.Resolved resolved, Element element) throws SQLException {
    int index = start;
    for (MappedColumn column : resolved.columns()) {
      Object value = element.properties().get(column.property());
      try {
        if (types.get(column.column()).array()) {
          String[] elements = GraphValues.array(value);
          statement.setArray(index++, elements == null ? null : connection.createArrayOf("text", elements));
        } else {
          statement.setString(index++, GraphValues.text(value));
        }
      } catch (IllegalArgumentException e) {
        throw ApplicationFailure.newNonRetryableFailure("property '" + column.property() + "' cannot be written "
            + "into " + resolved.table() + "." + column.column() + ": it holds " + e.getMessage(),
            FailureType.INVALID_DATA.type());
      }
    }
    return index;
  }

  static String columnList(List<MappedColumn> columns) {
    return columns.stream().map(MappedColumn::column).collect(Collectors.joining(", "));
  }
}
