package io.graphsync.activities.reconcile;

import static io.graphsync.activities.mapping.Identifiers.quote;
import static io.graphsync.activities.postgres.SqlIdentifiers.qualified;

import io.graphsync.activities.mapping.MappedColumn;
import io.graphsync.activities.mapping.MappedColumns;
import io.graphsync.activities.neo4j.GraphMutation;
import io.graphsync.activities.neo4j.MutationPlanner;
import io.graphsync.activities.postgres.SqlIdentifiers;
import io.graphsync.workflows.mapping.Direction;
import io.graphsync.workflows.mapping.RelationshipMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.reconcile.Finding;
import io.graphsync.workflows.reconcile.FindingType;
import io.graphsync.workflows.reconcile.RelationshipDifference;
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
import org.neo4j.driver.Value;
import org.neo4j.driver.types.TypeSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An entity table against the nodes of its label. A row becomes the graph's representation exactly as the graph
 * writer would write it ({@link MutationPlanner} over the row in the capture's representation); a node is read with
 * {@code properties(n)} and, per foreign key, the ids of the nodes its relationships of that type and direction reach.
 */
final class EntityTable implements ComparedTable {

  private static final Logger log = LoggerFactory.getLogger(EntityTable.class);

  /** The tenant, compared as if it were a mapped property. */
  static final String TENANT = "tenantId";

  private final TableMapping mapping;
  private final MutationPlanner planner;
  private final List<String> columns;
  private final List<String> properties;
  private final List<RelationshipMapping> relationships;
  private final Map<String, String> labels;
  private final String graphReturn;
  private volatile Sql.KeyColumn key;
  private volatile String tenantType;

  /**
   * @param labels table → label of every mapped table (for the foreign keys' targets)
   */
  EntityTable(TableMapping mapping, MutationPlanner planner, Map<String, String> labels) {
    this.mapping = mapping;
    this.planner = planner;
    this.labels = labels;
    this.relationships = mapping.relationships();
    Set<String> selected = new LinkedHashSet<>();
    selected.add(mapping.key());
    if (mapping.tenantColumn() != null) {
      selected.add(mapping.tenantColumn());
    }
    relationships.forEach(relationship -> selected.add(relationship.column()));
    List<String> names = new ArrayList<>();
    for (MappedColumn column : MappedColumns.of(mapping)) {
      selected.add(column.column());
      names.add(column.property());
    }
    selected.add("pg_version");
    names.add(TENANT);
    this.columns = List.copyOf(selected);
    this.properties = List.copyOf(names);
    StringBuilder returned = new StringBuilder("RETURN n.id AS id, properties(n) AS p");
    for (int i = 0; i < relationships.size(); i++) {
      RelationshipMapping relationship = relationships.get(i);
      String pattern = relationship.direction() == Direction.OUTGOING ? "(n)-[:%s]->(t:%s)" : "(n)<-[:%s]-(t:%s)";
      returned.append(", [").append(pattern.formatted(quote(relationship.type()),
          quote(labels.get(relationship.target())))).append(" | t.id] AS fk").append(i);
    }
    this.graphReturn = returned.toString();
  }

  @Override
  public String table() {
    return mapping.table();
  }

  String label() {
    return mapping.label();
  }

  @Override
  public Comparator<String> keyOrder() {
    return Comparator.naturalOrder();
  }

  /** The key column's (and tenant column's) type, read once from the catalog. */
  private Sql.KeyColumn key(Connection connection) throws SQLException {
    if (key == null) {
      List<String> typed = mapping.tenantColumn() == null ? List.of(mapping.key())
          : List.of(mapping.key(), mapping.tenantColumn());
      Map<String, String> types = Sql.columnTypes(connection, mapping.table(), typed);
      tenantType = mapping.tenantColumn() == null ? null : types.get(mapping.tenantColumn());
      key = new Sql.KeyColumn(mapping.key(), types.get(mapping.key()));
    }
    return key;
  }

  private String select() {
    return "SELECT " + columns.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", ")) + " FROM "
        + qualified(mapping.table());
  }

  @Override
  public List<Row> rows(Connection connection, String afterKey, int limit, String tenantId) throws SQLException {
    Sql.KeyColumn keyColumn = key(connection);
    List<String> conditions = new ArrayList<>();
    List<Object> parameters = new ArrayList<>();
    if (afterKey != null) {
      Sql.Bound after = keyColumn.after(afterKey);
      conditions.add(after.expression() + " > " + after.placeholder());
      parameters.add(after.parameter());
    }
    if (tenantId != null) {
      if (mapping.tenantColumn() == null) {
        return List.of();
      }
      conditions.add(SqlIdentifiers.quote(mapping.tenantColumn()) + " = CAST(? AS " + tenantType + ")");
      parameters.add(tenantId);
    }
    String sql = select() + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
        + " ORDER BY " + keyColumn.orderBy() + " LIMIT " + limit;
    return query(connection, sql, parameters);
  }

  @Override
  public List<Row> rows(Connection connection, Collection<String> keys) throws SQLException {
    if (keys.isEmpty()) {
      return List.of();
    }
    Sql.KeyColumn keyColumn = key(connection);
    // a graph id that is no key of the column (not a uuid, not an integer, ...) has no row: never bind it
    Set<String> valid = keys.stream().filter(keyColumn::accepts).collect(Collectors.toSet());
    if (valid.isEmpty()) {
      return List.of();
    }
    return query(connection, select() + " WHERE " + keyColumn.in(),
        List.of(connection.createArrayOf("text", valid.toArray()))).stream()
        .filter(row -> valid.contains(row.key())).toList();
  }

  /** Why {@code id} cannot be a key of this table (e.g. not a uuid), or null; null before the catalog was read. */
  String keyProblem(String id) {
    Sql.KeyColumn keyColumn = key;
    String problem = keyColumn == null ? null : keyColumn.problem(id);
    return problem == null ? null : mapping.key() + " is not a valid key of table " + mapping.table() + " ("
        + keyColumn.type() + "): '" + CanonicalValues.friendly(id) + "' (" + problem + ")";
  }

  private List<Row> query(Connection connection, String sql, List<Object> parameters) throws SQLException {
    return Sql.rows(connection, sql, parameters, values -> String.valueOf(values.get(mapping.key())));
  }

  @Override
  public List<Element> elements(Session session, String afterKey, int limit, String tenantId) {
    String text = "MATCH (n:" + quote(mapping.label()) + ") WHERE "
        + (afterKey == null ? "n.id >= ''" : "n.id > $after")
        + (tenantId == null ? "" : " AND n.tenantId = $tenant")
        + " " + graphReturn + " ORDER BY n.id LIMIT $limit";
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("after", afterKey);
    parameters.put("tenant", tenantId);
    parameters.put("limit", limit);
    return session.executeRead(tx -> tx.run(text, parameters).list(this::element));
  }

  @Override
  public List<Element> elements(Session session, Collection<String> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    String text = "UNWIND $ids AS key MATCH (n:" + quote(mapping.label()) + " {id: key}) " + graphReturn;
    Map<String, Object> parameters = Map.of("ids", List.copyOf(keys));
    return session.executeRead(tx -> tx.run(text, parameters).list(this::element));
  }

  private Element element(Record record) {
    List<List<String>> links = new ArrayList<>(relationships.size());
    for (int i = 0; i < relationships.size(); i++) {
      Value ids = record.get("fk" + i);
      links.add(ids.asList(EntityTable::text));
    }
    return new Element(record.get("id").asString(), record.get("p").asMap(), links);
  }

  /** A graph id as text: a target's id need not be text (a node made by hand), and is then shown as the driver does. */
  static String text(Value id) {
    return id.hasType(TypeSystem.getDefault().STRING()) ? id.asString() : id.toString();
  }

  /** The row as the graph writer would write it, or null when it cannot be converted (its sync fails too). */
  private GraphMutation.UpsertNode planned(Row row) {
    Object version = row.values().get("pg_version");
    ChangeEvent event = ChangeEvent.builder(EventSource.RECONCILIATION, EventType.CREATE)
        .entity(mapping.table(), mapping.label(), row.key()).data(row.values())
        .version(version instanceof Number number ? number.longValue() : null).build();
    try {
      return (GraphMutation.UpsertNode) planner.plan(event);
    } catch (ApplicationFailure e) {
      log.warn("row {} of {} cannot be converted to the graph, not compared: {}", row.key(), mapping.table(),
          e.getOriginalMessage());
      return null;
    }
  }

  @Override
  public Optional<Finding> classify(String key, Row row, Element element, boolean details) {
    if (row == null && element == null) {
      return Optional.empty();
    }
    Map<String, Object> node = element == null ? Map.of() : element.properties();
    Long syncPosition = asLong(node.get("syncPosition"));
    boolean placeholder = Boolean.TRUE.equals(node.get("placeholder"));
    boolean synced = element != null && syncPosition != null && !placeholder;
    Long nodeVersion = asLong(node.get("pgVersion"));
    Long neo4jVersion = asLong(node.get("neo4jVersion"));
    String nodeTenant = node.get(TENANT) instanceof String text ? text : null;
    if (row == null) {
      String reason = synced ? "node without a row (synced at position " + syncPosition + ")"
          : placeholder ? "placeholder node without a row (never synced from PostgreSQL)"
          : "node without a row, not synced from PostgreSQL (created in the graph"
              + notInteger(node, "syncPosition") + ")";
      String keyProblem = keyProblem(key);
      reason = keyProblem == null ? reason : reason + "; its " + keyProblem;
      return Optional.of(finding(FindingType.ORPHAN_IN_NEO4J, key, nodeTenant, false, true, null, nodeVersion,
          synced ? syncPosition : null, neo4jVersion, synced, reason, null, null, List.of(), List.of(), null, null));
    }
    GraphMutation.UpsertNode upsert = planned(row);
    if (upsert == null) {
      return Optional.empty();
    }
    Long rowVersion = upsert.version();
    String tenant = upsert.tenantId() != null ? upsert.tenantId() : nodeTenant;
    if (element == null || !synced) {
      String reason = element == null ? "no node" : placeholder ? "only a placeholder node"
          : "a node not synced from PostgreSQL (no syncPosition" + notInteger(node, "syncPosition") + ")";
      return Optional.of(finding(FindingType.MISSING_IN_NEO4J, key, tenant, true, element != null, rowVersion,
          nodeVersion, null, neo4jVersion, false, reason, null, null, List.of(), List.of(), null, null));
    }
    Map<String, Object> expected = new HashMap<>(upsert.properties());
    expected.put(TENANT, upsert.tenantId());
    Map<String, String> rowCanonical = CanonicalValues.canonical(expected, properties);
    Map<String, String> nodeCanonical = CanonicalValues.canonical(node, properties);
    String rowHash = CanonicalValues.hash(rowCanonical);
    String nodeHash = CanonicalValues.hash(nodeCanonical);
    boolean attributesDiffer = !rowHash.equals(nodeHash);
    List<RelationshipDifference> links = linkDifferences(upsert, element);

    FindingType type;
    String reason;
    if (nodeVersion == null || (rowVersion != null && nodeVersion < rowVersion)) {
      type = FindingType.STALE_VERSION;
      reason = "node pgVersion " + nodeVersion + " < row pg_version " + rowVersion + notInteger(node, "pgVersion");
    } else if (attributesDiffer) {
      type = FindingType.ATTRIBUTE_MISMATCH;
      reason = Objects.equals(nodeVersion, rowVersion)
          ? "properties differ at the same pg_version " + rowVersion + " (changed in the graph)"
          : "properties differ; node pgVersion " + nodeVersion + " > row pg_version " + rowVersion;
    } else if (!Objects.equals(nodeVersion, rowVersion)) {
      type = FindingType.STALE_VERSION;
      reason = "node pgVersion " + nodeVersion + " > row pg_version " + rowVersion + " (the row went back)";
    } else if (!links.isEmpty()) {
      type = FindingType.RELATIONSHIP_MISMATCH;
      reason = links.stream().map(d -> d.type() + " via " + d.column() + ": expected " + d.expected() + ", found "
          + d.found()).collect(Collectors.joining("; "));
    } else {
      return Optional.empty();
    }
    List<PropertyDifference> differences = details && attributesDiffer
        ? differences(expected, node, rowCanonical, nodeCanonical) : List.of();
    boolean sides = details && type == FindingType.ATTRIBUTE_MISMATCH && Objects.equals(nodeVersion, rowVersion);
    return Optional.of(finding(type, key, tenant, true, true, rowVersion, nodeVersion, syncPosition, neo4jVersion,
        true, reason, rowHash, nodeHash, differences, links,
        sides ? CanonicalValues.friendly(expected, properties) : null,
        sides ? CanonicalValues.friendly(node, properties) : null));
  }

  private List<RelationshipDifference> linkDifferences(GraphMutation.UpsertNode upsert, Element element) {
    List<RelationshipDifference> differences = new ArrayList<>();
    Map<String, String> targets = new HashMap<>();
    upsert.links().forEach(link -> targets.put(link.type() + "/" + link.direction() + "/" + link.targetLabel(),
        link.targetId()));
    for (int i = 0; i < relationships.size(); i++) {
      RelationshipMapping relationship = relationships.get(i);
      String target = labels.get(relationship.target());
      String expectedId = targets.get(relationship.type() + "/" + relationship.direction() + "/" + target);
      List<String> expected = expectedId == null ? List.of() : List.of(expectedId);
      List<String> found = List.copyOf(new TreeSet<>(element.links().get(i)));
      if (!found.equals(expected)) {
        differences.add(new RelationshipDifference(relationship.column(), relationship.type(),
            relationship.direction().name(), target, expected, found));
      }
    }
    return differences;
  }

  private static List<PropertyDifference> differences(Map<String, Object> expected, Map<String, Object> node,
      Map<String, String> rowCanonical, Map<String, String> nodeCanonical) {
    Set<String> names = new TreeSet<>(rowCanonical.keySet());
    names.addAll(nodeCanonical.keySet());
    List<PropertyDifference> differences = new ArrayList<>();
    for (String name : names) {
      if (!Objects.equals(rowCanonical.get(name), nodeCanonical.get(name))) {
        differences.add(new PropertyDifference(name, CanonicalValues.friendly(expected.get(name)),
            CanonicalValues.friendly(node.get(name))));
      }
    }
    return differences;
  }

  private Finding finding(FindingType type, String key, String tenant, boolean inPostgres, boolean inNeo4j,
      Long rowVersion, Long nodeVersion, Long syncPosition, Long neo4jVersion, boolean synced, String reason,
      String rowHash, String nodeHash, List<PropertyDifference> differences, List<RelationshipDifference> links,
      Map<String, Object> postgres, Map<String, Object> neo4j) {
    return new Finding(type, mapping.table(), mapping.label(), key, tenant, false, inPostgres, inNeo4j, rowVersion,
        nodeVersion, syncPosition, neo4jVersion, synced, reason, rowHash, nodeHash, differences, links, postgres,
        neo4j, null);
  }

  static Long asLong(Object value) {
    return value instanceof Number number ? number.longValue() : null;
  }

  /**
   * For a bookkeeping property that is set but no number (a node edited by hand): {@code "; pgVersion is not an
   * integer: 'seven'"}, else empty. Such a property counts as absent ({@link #asLong}).
   */
  static String notInteger(Map<String, Object> properties, String name) {
    Object value = properties.get(name);
    return value == null || asLong(value) != null ? ""
        : "; " + name + " is not an integer: '" + CanonicalValues.friendly(value) + "'";
  }
}
