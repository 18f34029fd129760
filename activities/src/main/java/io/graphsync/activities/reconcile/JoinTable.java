package io.graphsync.activities.reconcile;

import static io.graphsync.activities.mapping.Identifiers.quote;
import static io.graphsync.activities.postgres.SqlIdentifiers.qualified;

import io.graphsync.activities.mapping.MappedColumn;
import io.graphsync.activities.mapping.MappedColumns;
import io.graphsync.activities.neo4j.GraphMutation;
import io.graphsync.activities.neo4j.MutationPlanner;
import io.graphsync.activities.postgres.SqlIdentifiers;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.reconcile.Finding;
import io.graphsync.workflows.reconcile.FindingType;
import io.graphsync.workflows.resolve.PropertyDifference;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EntityKey;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A join table against the relationships of its type between the two labels. Keys are {@code <from>|<to>}, ordered
 * by the from key, then the to key (as the capture's entity id; keys containing {@code |} are not supported, as
 * there). Every finding is a RELATIONSHIP_MISMATCH: a row without relationship, a relationship without row, or
 * different properties.
 */
final class JoinTable implements ComparedTable {

  private static final Logger log = LoggerFactory.getLogger(JoinTable.class);
  private static final String SEPARATOR = EntityKey.SEPARATOR;

  private final JoinTableMapping mapping;
  private final MutationPlanner planner;
  private final List<String> columns;
  private final List<String> properties;
  private final String fromLabel;
  private final String toLabel;
  private volatile Sql.KeyColumn fromKey;
  private volatile Sql.KeyColumn toKey;
  private volatile String tenantType;

  JoinTable(JoinTableMapping mapping, MutationPlanner planner, Map<String, String> labels) {
    this.mapping = mapping;
    this.planner = planner;
    this.fromLabel = labels.get(mapping.fromTable());
    this.toLabel = labels.get(mapping.toTable());
    Set<String> selected = new LinkedHashSet<>(List.of(mapping.fromColumn(), mapping.toColumn()));
    if (mapping.tenantColumn() != null) {
      selected.add(mapping.tenantColumn());
    }
    List<String> names = new ArrayList<>();
    for (MappedColumn column : MappedColumns.of(mapping)) {
      selected.add(column.column());
      names.add(column.property());
    }
    names.add(EntityTable.TENANT);
    this.columns = List.copyOf(selected);
    this.properties = List.copyOf(names);
  }

  @Override
  public String table() {
    return mapping.table();
  }

  @Override
  public Comparator<String> keyOrder() {
    return Comparator.comparing((String key) -> parts(key)[0]).thenComparing(key -> parts(key)[1]);
  }

  /**
   * The key's from and to key, split at its first separator: the order of the graph's pages ({@code a.id, b.id}),
   * whose from ids never hold the separator. A key without separator is all from key (no element or row has one).
   */
  static String[] parts(String key) {
    int separator = key.indexOf(SEPARATOR);
    return separator < 0 ? new String[] {key, ""}
        : new String[] {key.substring(0, separator), key.substring(separator + SEPARATOR.length())};
  }

  /** Every way to read the key as from and to key: more than one when an end node's id holds the separator. */
  static List<String[]> splits(String key) {
    List<String[]> splits = new ArrayList<>();
    for (int at = key.indexOf(SEPARATOR); at >= 0; at = key.indexOf(SEPARATOR, at + 1)) {
      splits.add(new String[] {key.substring(0, at), key.substring(at + SEPARATOR.length())});
    }
    return splits;
  }

  /**
   * Why {@code key} cannot be the key of a row of this table (an end's id is no key of its column, or holds the
   * separator), or null; null before the catalog was read.
   */
  String keyProblem(String key) {
    if (fromKey == null) {
      return null;
    }
    if (splits(key).size() != 1) {
      return "key '" + CanonicalValues.friendly(key) + "' is not <" + mapping.fromColumn() + ">" + SEPARATOR + "<"
          + mapping.toColumn() + ">: an end node's id contains '" + SEPARATOR + "'";
    }
    String[] parts = parts(key);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Sql.KeyColumn column = i == 0 ? fromKey : toKey;
      String problem = column.problem(parts[i]);
      if (problem != null) {
        problems.add(column.column() + " is not a valid key of table " + mapping.table() + " (" + column.type()
            + "): '" + CanonicalValues.friendly(parts[i]) + "' (" + problem + ")");
      }
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  private void types(Connection connection) throws SQLException {
    if (fromKey == null) {
      List<String> typed = new ArrayList<>(List.of(mapping.fromColumn(), mapping.toColumn()));
      if (mapping.tenantColumn() != null) {
        typed.add(mapping.tenantColumn());
      }
      Map<String, String> types = Sql.columnTypes(connection, mapping.table(), typed);
      tenantType = mapping.tenantColumn() == null ? null : types.get(mapping.tenantColumn());
      toKey = new Sql.KeyColumn(mapping.toColumn(), types.get(mapping.toColumn()));
      fromKey = new Sql.KeyColumn(mapping.fromColumn(), types.get(mapping.fromColumn()));
    }
  }

  private String select() {
    return "SELECT " + columns.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", ")) + " FROM "
        + qualified(mapping.table());
  }

  @Override
  public List<Row> rows(Connection connection, String afterKey, int limit, String tenantId) throws SQLException {
    types(connection);
    List<String> conditions = new ArrayList<>();
    List<Object> parameters = new ArrayList<>();
    if (afterKey != null) {
      String[] after = parts(afterKey);
      Sql.Bound from = fromKey.after(after[0]);
      Sql.Bound to = toKey.after(after[1]);
      conditions.add("(" + from.expression() + ", " + to.expression() + ") > (" + from.placeholder() + ", "
          + to.placeholder() + ")");
      parameters.add(from.parameter());
      parameters.add(to.parameter());
    }
    if (tenantId != null) {
      if (mapping.tenantColumn() == null) {
        return List.of();
      }
      conditions.add(SqlIdentifiers.quote(mapping.tenantColumn()) + " = CAST(? AS " + tenantType + ")");
      parameters.add(tenantId);
    }
    String sql = select() + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
        + " ORDER BY " + fromKey.orderBy() + ", " + toKey.orderBy() + " LIMIT " + limit;
    return query(connection, sql, parameters);
  }

  @Override
  public List<Row> rows(Connection connection, Collection<String> keys) throws SQLException {
    if (keys.isEmpty()) {
      return List.of();
    }
    types(connection);
    // only keys whose two parts are keys of their columns can have a row: never bind anything else
    List<String> from = new ArrayList<>();
    List<String> to = new ArrayList<>();
    Set<String> requested = Set.copyOf(keys);
    for (String key : requested) {
      for (String[] parts : splits(key)) {
        if (fromKey.accepts(parts[0]) && toKey.accepts(parts[1])) {
          from.add(parts[0]);
          to.add(parts[1]);
        }
      }
    }
    if (from.isEmpty()) {
      return List.of();
    }
    String sql = select() + " WHERE (" + fromKey.compared() + ", " + toKey.compared()
        + ") IN (SELECT * FROM unnest(CAST(? AS " + fromKey.arrayType() + "[]), CAST(? AS " + toKey.arrayType()
        + "[])))";
    return query(connection, sql, List.of(connection.createArrayOf("text", from.toArray()),
        connection.createArrayOf("text", to.toArray()))).stream().filter(row -> requested.contains(row.key()))
        .toList();
  }

  private List<Row> query(Connection connection, String sql, List<Object> parameters) throws SQLException {
    return Sql.rows(connection, sql, parameters,
        values -> values.get(mapping.fromColumn()) + SEPARATOR + values.get(mapping.toColumn()));
  }

  @Override
  public List<Element> elements(Session session, String afterKey, int limit, String tenantId) {
    // from nodes in id order (index-backed), their relationships sorted within each: a partial sort, stopped early.
    // Only text ids; from ids holding the separator would break the key order: they come in unordered()
    String text = "MATCH (a:" + quote(fromLabel) + ") WHERE "
        + (afterKey == null ? "a.id >= ''" : "a.id >= $afterFrom") + " AND NOT a.id CONTAINS $separator"
        + " WITH a ORDER BY a.id MATCH (a)-[r:" + quote(mapping.type()) + "]->(b:" + quote(toLabel) + ")"
        + " WHERE b.id >= '' AND " + (afterKey == null ? "true" : "(a.id > $afterFrom OR b.id > $afterTo)")
        + (tenantId == null ? "" : " AND r.tenantId = $tenant")
        + " RETURN a.id AS from, b.id AS to, properties(r) AS p ORDER BY a.id, b.id LIMIT $limit";
    Map<String, Object> parameters = new HashMap<>();
    if (afterKey != null) {
      String[] after = parts(afterKey);
      parameters.put("afterFrom", after[0]);
      parameters.put("afterTo", after[1]);
    }
    parameters.put("tenant", tenantId);
    parameters.put("limit", limit);
    parameters.put("separator", SEPARATOR);
    return session.executeRead(tx -> tx.run(text, parameters).list(JoinTable::element));
  }

  /** Relationships whose from node's id holds the separator: no row can have such a key, so they are all findings. */
  @Override
  public List<Element> unordered(Session session, String tenantId) {
    String text = "MATCH (a:" + quote(fromLabel) + ")-[r:" + quote(mapping.type()) + "]->(b:" + quote(toLabel) + ")"
        + " WHERE a.id CONTAINS $separator AND b.id >= ''" + (tenantId == null ? "" : " AND r.tenantId = $tenant")
        + " RETURN a.id AS from, b.id AS to, properties(r) AS p";
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("separator", SEPARATOR);
    parameters.put("tenant", tenantId);
    return session.executeRead(tx -> tx.run(text, parameters).list(JoinTable::element));
  }

  @Override
  public List<Element> elements(Session session, Collection<String> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    List<Map<String, Object>> pairs = keys.stream().flatMap(key -> splits(key).stream())
        .map(parts -> Map.<String, Object>of("from", parts[0], "to", parts[1])).toList();
    String text = "UNWIND $pairs AS pair MATCH (a:" + quote(fromLabel) + " {id: pair.from})-[r:"
        + quote(mapping.type()) + "]->(b:" + quote(toLabel) + " {id: pair.to})"
        + " RETURN a.id AS from, b.id AS to, properties(r) AS p";
    return session.executeRead(tx -> tx.run(text, Map.of("pairs", pairs)).list(JoinTable::element));
  }

  private static Element element(Record record) {
    return new Element(record.get("from").asString() + SEPARATOR + record.get("to").asString(),
        record.get("p").asMap(), List.of());
  }

  @Override
  public Optional<Finding> classify(String key, Row row, Element element, boolean details) {
    if (row == null && element == null) {
      return Optional.empty();
    }
    Map<String, Object> relationship = element == null ? Map.of() : element.properties();
    Long syncPosition = EntityTable.asLong(relationship.get("syncPosition"));
    boolean synced = element != null && syncPosition != null;
    String graphTenant = relationship.get(EntityTable.TENANT) instanceof String text ? text : null;
    if (row == null) {
      String reason = synced ? "relationship without a join row (synced at position " + syncPosition + ")"
          : "relationship without a join row, not synced from PostgreSQL (created in the graph"
              + EntityTable.notInteger(relationship, "syncPosition") + ")";
      String keyProblem = keyProblem(key);
      return Optional.of(finding(key, graphTenant, false, true, syncPosition, synced,
          keyProblem == null ? reason : reason + "; " + keyProblem, null, null, List.of()));
    }
    GraphMutation.UpsertRelationship upsert = planned(row);
    if (upsert == null) {
      return Optional.empty();
    }
    String tenant = upsert.tenantId() != null ? upsert.tenantId() : graphTenant;
    if (element == null) {
      return Optional.of(finding(key, tenant, true, false, null, false, "join row without a relationship", null, null,
          List.of()));
    }
    Map<String, Object> expected = new HashMap<>(upsert.properties());
    expected.put(EntityTable.TENANT, upsert.tenantId());
    Map<String, String> rowCanonical = CanonicalValues.canonical(expected, properties);
    Map<String, String> graphCanonical = CanonicalValues.canonical(relationship, properties);
    String rowHash = CanonicalValues.hash(rowCanonical);
    String graphHash = CanonicalValues.hash(graphCanonical);
    if (rowHash.equals(graphHash)) {
      return Optional.empty();
    }
    List<PropertyDifference> differences = new ArrayList<>();
    if (details) {
      Set<String> names = new TreeSet<>(rowCanonical.keySet());
      names.addAll(graphCanonical.keySet());
      for (String name : names) {
        if (!Objects.equals(rowCanonical.get(name), graphCanonical.get(name))) {
          differences.add(new PropertyDifference(name, CanonicalValues.friendly(expected.get(name)),
              CanonicalValues.friendly(relationship.get(name))));
        }
      }
    }
    return Optional.of(finding(key, tenant, true, true, syncPosition, synced, "relationship properties differ",
        rowHash, graphHash, differences));
  }

  private GraphMutation.UpsertRelationship planned(Row row) {
    ChangeEvent event = ChangeEvent.builder(EventSource.RECONCILIATION, EventType.CREATE)
        .entity(mapping.table(), mapping.type(), row.key()).data(row.values()).build();
    try {
      return (GraphMutation.UpsertRelationship) planner.plan(event);
    } catch (ApplicationFailure e) {
      log.warn("join row {} of {} cannot be converted to the graph, not compared: {}", row.key(), mapping.table(),
          e.getOriginalMessage());
      return null;
    }
  }

  private Finding finding(String key, String tenant, boolean inPostgres, boolean inNeo4j, Long syncPosition,
      boolean synced, String reason, String rowHash, String graphHash, List<PropertyDifference> differences) {
    return new Finding(FindingType.RELATIONSHIP_MISMATCH, mapping.table(), mapping.type(), key, tenant, true,
        inPostgres, inNeo4j, null, null, syncPosition, null, synced, reason, rowHash, graphHash, differences,
        List.of(), null, null, null);
  }
}
