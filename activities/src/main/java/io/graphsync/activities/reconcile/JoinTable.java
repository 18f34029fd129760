package io.graphsync.activities.reconcile;

import static io.graphsync.activities.mapping.Identifiers.quote;
import static io.graphsync.activities.reconcile.Sql.qualified;

import io.graphsync.activities.mapping.MappedColumn;
import io.graphsync.activities.mapping.MappedColumns;
import io.graphsync.activities.neo4j.GraphMutation;
import io.graphsync.activities.neo4j.MutationPlanner;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.reconcile.Finding;
import io.graphsync.workflows.reconcile.FindingType;
import io.graphsync.workflows.resolve.PropertyDifference;
import io.graphsync.workflows.sync.ChangeEvent;
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
  private static final String SEPARATOR = SourceRowReader.KEY_SEPARATOR;

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

  static String[] parts(String key) {
    String[] parts = key.split(java.util.regex.Pattern.quote(SEPARATOR), -1);
    if (parts.length != 2) {
      throw ApplicationFailure.newNonRetryableFailure("join-table key '" + key + "' is not <from>|<to>",
          io.graphsync.workflows.FailureType.INVALID_DATA.type());
    }
    return parts;
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
    return "SELECT " + columns.stream().map(Sql::quote).collect(Collectors.joining(", ")) + " FROM "
        + qualified(mapping.table());
  }

  @Override
  public List<Row> rows(Connection connection, String afterKey, int limit, String tenantId) throws SQLException {
    types(connection);
    List<String> conditions = new ArrayList<>();
    List<Object> parameters = new ArrayList<>();
    if (afterKey != null) {
      String[] after = parts(afterKey);
      conditions.add("(" + fromKey.orderBy() + ", " + toKey.orderBy() + ") > (" + fromKey.parameter() + ", "
          + toKey.parameter() + ")");
      parameters.add(after[0]);
      parameters.add(after[1]);
    }
    if (tenantId != null) {
      if (mapping.tenantColumn() == null) {
        return List.of();
      }
      conditions.add(Sql.quote(mapping.tenantColumn()) + " = CAST(? AS " + tenantType + ")");
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
    List<String> from = new ArrayList<>();
    List<String> to = new ArrayList<>();
    keys.forEach(key -> {
      String[] parts = parts(key);
      from.add(parts[0]);
      to.add(parts[1]);
    });
    String sql = select() + " WHERE (" + Sql.quote(mapping.fromColumn()) + ", " + Sql.quote(mapping.toColumn())
        + ") IN (SELECT * FROM unnest(CAST(? AS " + fromKey.type() + "[]), CAST(? AS " + toKey.type() + "[])))";
    return query(connection, sql, List.of(connection.createArrayOf("text", from.toArray()),
        connection.createArrayOf("text", to.toArray())));
  }

  private List<Row> query(Connection connection, String sql, List<Object> parameters) throws SQLException {
    return Sql.rows(connection, sql, parameters, values -> values.get(mapping.fromColumn()) + SEPARATOR + values.get(mapping.toColumn()));
  }

  @Override
  public List<Element> elements(Session session, String afterKey, int limit, String tenantId) {
    // from nodes in id order (index-backed), their relationships sorted within each: a partial sort, stopped early
    String text = "MATCH (a:" + quote(fromLabel) + ") WHERE "
        + (afterKey == null ? "a.id IS NOT NULL" : "a.id >= $afterFrom")
        + " WITH a ORDER BY a.id MATCH (a)-[r:" + quote(mapping.type()) + "]->(b:" + quote(toLabel) + ")"
        + " WHERE " + (afterKey == null ? "true" : "(a.id > $afterFrom OR b.id > $afterTo)")
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
    return session.executeRead(tx -> tx.run(text, parameters).list(JoinTable::element));
  }

  @Override
  public List<Element> elements(Session session, Collection<String> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    List<Map<String, Object>> pairs = keys.stream().map(key -> {
      String[] parts = parts(key);
      return Map.<String, Object>of("from", parts[0], "to", parts[1]);
    }).toList();
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
      return Optional.of(finding(key, graphTenant, false, true, syncPosition, synced,
          synced ? "relationship without a join row (synced at position " + syncPosition + ")"
              : "relationship without a join row, not synced from PostgreSQL (created in the graph)",
          null, null, List.of()));
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
    ChangeEvent event = new ChangeEvent(ChangeEvent.eventIdOf(mapping.table(), row.key(), 0), null, EventType.CREATE,
        mapping.type(), row.key(), null, null, row.values(), null, null, EventSource.RECONCILIATION, null, 0,
        mapping.table(), false);
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
