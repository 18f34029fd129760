package io.graphsync.app.faults;

import io.graphsync.activities.mapping.MappedColumn;
import io.graphsync.activities.mapping.MappedColumns;
import io.graphsync.app.GraphSnapshot;
import io.graphsync.workflows.mapping.Direction;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.RelationshipMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

/**
 * Every row against its node, the whole database against the whole graph: presence, every mapped property and
 * {@code pgVersion}; every foreign key and join-table row against its relationship and the relationship's
 * properties. Independent of the product's own comparison (reconciliation): the expected graph is computed here
 * from the mapping and the rows, with the tests' value normalisation ({@link GraphSnapshot#normalize}).
 */
final class GraphComparison {

  /** Node and relationship properties graphsync keeps for itself; not part of the comparison. */
  private static final Set<String> SYSTEM = Set.of("syncPosition", "lastSyncedAt", "neo4jVersion", "placeholder");
  private static final int EXAMPLES = 10;

  /**
   * The outcome. A row is <em>missing</em> when its node is absent or still a placeholder, a node an
   * <em>orphan</em> when no row has its key (placeholders included), a node <em>wrong</em> when a mapped value or
   * {@code pgVersion} differs from its row. The same three for relationships (foreign keys and join rows).
   */
  record Result(
      long rows, long nodes, long missing, long orphans, long wrong,
      long links, long relationships, long missingRelationships, long orphanRelationships, long wrongRelationships,
      List<String> examples) {

    boolean clean() {
      return missing == 0 && orphans == 0 && wrong == 0
          && missingRelationships == 0 && orphanRelationships == 0 && wrongRelationships == 0;
    }

    /** The figure the fault run is judged by: {@code N rows, N nodes, missing M, orphans O, wrong W}. */
    String nodeLine() {
      return rows + " rows, " + nodes + " nodes, missing " + missing + ", orphans " + orphans + ", wrong " + wrong;
    }

    String relationshipLine() {
      return links + " foreign keys and join rows, " + relationships + " relationships, missing "
          + missingRelationships + ", orphans " + orphanRelationships + ", wrong " + wrongRelationships;
    }
  }

  private record Node(Map<String, String> properties, boolean placeholder) {}

  private final DataSource dataSource;
  private final Driver driver;
  private final GraphMapping mapping;

  GraphComparison(DataSource dataSource, Driver driver, GraphMapping mapping) {
    this.dataSource = dataSource;
    this.driver = driver;
    this.mapping = mapping;
  }

  /**
   * Compares now. The rows are read in one repeatable-read transaction; the graph right after. Meant for a quiet
   * database (the load stopped): changes committed meanwhile show as differences until they are synced.
   */
  Result compare() throws SQLException {
    Map<String, Map<String, String>> expectedNodes = new HashMap<>();
    Map<String, Map<String, String>> expectedRelationships = new HashMap<>();
    readRows(expectedNodes, expectedRelationships);
    Map<String, Node> actualNodes = readNodes();
    Map<String, Map<String, String>> actualRelationships = readRelationships();

    List<String> examples = new ArrayList<>();
    long missing = 0;
    long wrong = 0;
    for (Map.Entry<String, Map<String, String>> row : expectedNodes.entrySet()) {
      Node node = actualNodes.get(row.getKey());
      if (node == null || node.placeholder()) {
        missing++;
        example(examples, "missing node " + row.getKey() + (node == null ? "" : " (a placeholder)") + ", row "
            + row.getValue());
      } else if (!node.properties().equals(row.getValue())) {
        wrong++;
        example(examples, "wrong node " + row.getKey() + ": " + difference(row.getValue(), node.properties()));
      }
    }
    long orphans = 0;
    for (Map.Entry<String, Node> node : actualNodes.entrySet()) {
      if (!expectedNodes.containsKey(node.getKey())) {
        orphans++;
        example(examples, "orphan node " + node.getKey() + (node.getValue().placeholder() ? " (a placeholder)" : "")
            + " " + node.getValue().properties());
      }
    }

    long missingRelationships = 0;
    long wrongRelationships = 0;
    for (Map.Entry<String, Map<String, String>> link : expectedRelationships.entrySet()) {
      Map<String, String> relationship = actualRelationships.get(link.getKey());
      if (relationship == null) {
        missingRelationships++;
        example(examples, "missing relationship " + link.getKey() + " " + link.getValue());
      } else if (!relationship.equals(link.getValue())) {
        wrongRelationships++;
        example(examples, "wrong relationship " + link.getKey() + ": " + difference(link.getValue(), relationship));
      }
    }
    long orphanRelationships = 0;
    for (String relationship : actualRelationships.keySet()) {
      if (!expectedRelationships.containsKey(relationship)) {
        orphanRelationships++;
        example(examples, "orphan relationship " + relationship + " " + actualRelationships.get(relationship));
      }
    }
    return new Result(expectedNodes.size(), actualNodes.size(), missing, orphans, wrong,
        expectedRelationships.size(), actualRelationships.size(), missingRelationships, orphanRelationships,
        wrongRelationships, List.copyOf(examples));
  }

  /** Rows by sync status over every mapped entity table, e.g. {@code {SUCCESS=5012, PENDING=3}}. */
  Map<String, Long> syncStatuses() throws SQLException {
    Map<String, Long> statuses = new TreeMap<>();
    try (Connection connection = dataSource.getConnection()) {
      for (TableMapping table : mapping.tables()) {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT sync_status, count(*) FROM " + table.table() + " GROUP BY sync_status");
             ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            statuses.merge(String.valueOf(rows.getString(1)), rows.getLong(2), Long::sum);
          }
        }
      }
    }
    return statuses;
  }

  private void readRows(Map<String, Map<String, String>> nodes, Map<String, Map<String, String>> relationships)
      throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      // table names come from the validated mapping, never from data
      for (TableMapping table : mapping.tables()) {
        List<MappedColumn> columns = MappedColumns.of(table);
        try (PreparedStatement statement = connection.prepareStatement("SELECT * FROM " + table.table());
             ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            String id = rows.getString(table.key());
            Map<String, String> properties = new HashMap<>();
            properties.put("id", id);
            properties.put("pgId", id);
            properties.put("tenantId", rows.getString(table.tenantColumn()));
            properties.put("pgVersion", Long.toString(rows.getLong("pg_version")));
            for (MappedColumn column : columns) {
              putIfPresent(properties, column.property(), GraphSnapshot.normalize(rows.getObject(column.column())));
            }
            nodes.put(table.label() + ":" + id, properties);
            for (RelationshipMapping foreignKey : table.relationships()) {
              String target = rows.getString(foreignKey.column());
              if (target != null) {
                relationships.put(foreignKey.direction() == Direction.OUTGOING
                    ? id + "-" + foreignKey.type() + "->" + target
                    : target + "-" + foreignKey.type() + "->" + id, Map.of());
              }
            }
          }
        }
      }
      for (JoinTableMapping join : mapping.joinTables()) {
        List<MappedColumn> columns = MappedColumns.of(join);
        try (PreparedStatement statement = connection.prepareStatement("SELECT * FROM " + join.table());
             ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            Map<String, String> properties = new HashMap<>();
            properties.put("tenantId", rows.getString(join.tenantColumn()));
            for (MappedColumn column : columns) {
              putIfPresent(properties, column.property(), GraphSnapshot.normalize(rows.getObject(column.column())));
            }
            relationships.put(rows.getString(join.fromColumn()) + "-" + join.type() + "->"
                + rows.getString(join.toColumn()), properties);
          }
        }
      }
      connection.commit();
    }
  }

  private Map<String, Node> readNodes() {
    Map<String, Node> nodes = new HashMap<>();
    for (TableMapping table : mapping.tables()) {
      // the label comes from the validated mapping
      for (Record record : driver.executableQuery("MATCH (n:`" + table.label() + "`) RETURN n").execute().records()) {
        Map<String, String> properties = new HashMap<>();
        boolean[] placeholder = {false};
        record.get("n").asNode().asMap(Value::asObject).forEach((key, value) -> {
          if ("placeholder".equals(key)) {
            placeholder[0] = Boolean.TRUE.equals(value);
          } else if (!SYSTEM.contains(key)) {
            putIfPresent(properties, key, GraphSnapshot.normalize(value));
          }
        });
        nodes.put(table.label() + ":" + properties.get("id"), new Node(properties, placeholder[0]));
      }
    }
    return nodes;
  }

  private Map<String, Map<String, String>> readRelationships() {
    Map<String, Map<String, String>> relationships = new HashMap<>();
    for (Record record : driver.executableQuery("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, r")
        .execute().records()) {
      Map<String, String> properties = new HashMap<>();
      record.get("r").asRelationship().asMap(Value::asObject).forEach((key, value) -> {
        if (!SYSTEM.contains(key)) {
          putIfPresent(properties, key, GraphSnapshot.normalize(value));
        }
      });
      String key = record.get("a").asString() + "-" + record.get("type").asString() + "->" + record.get("b").asString();
      if (relationships.put(key, properties) != null) {
        // two relationships of one type between the same nodes: the second one is an orphan
        relationships.put(key + " (duplicate)", properties);
      }
    }
    return relationships;
  }

  private static String difference(Map<String, String> expected, Map<String, String> actual) {
    List<String> differences = new ArrayList<>();
    TreeMap<String, String> keys = new TreeMap<>(expected);
    actual.keySet().forEach(key -> keys.putIfAbsent(key, null));
    for (String key : keys.keySet()) {
      String want = expected.get(key);
      String have = actual.get(key);
      if (want == null ? have != null : !want.equals(have)) {
        differences.add(key + " row=" + want + " graph=" + have);
      }
    }
    return String.join(", ", differences);
  }

  private static void example(List<String> examples, String example) {
    if (examples.size() < EXAMPLES) {
      examples.add(example);
    }
  }

  private static void putIfPresent(Map<String, String> properties, String key, String value) {
    if (value != null) {
      properties.put(key, value);
    }
  }
}
