package io.graphsync.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsync.activities.mapping.MappedColumn;
import io.graphsync.activities.mapping.MappedColumns;
import io.graphsync.workflows.mapping.Direction;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.RelationshipMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

/**
 * One tenant's part of the graph as comparable text, computed two ways: from PostgreSQL through the mapping
 * (what the graph must be) and from Neo4j (what it is). Tests assert the two are equal: every node, every mapped
 * property, every relationship and its properties, not a sample.
 */
public record GraphSnapshot(TreeMap<String, TreeMap<String, String>> nodes, TreeSet<String> relationships) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the mapping makes of the tenant's rows. */
  static GraphSnapshot expected(DataSource dataSource, GraphMapping mapping, String tenantId) throws SQLException {
    TreeMap<String, TreeMap<String, String>> nodes = new TreeMap<>();
    TreeSet<String> relationships = new TreeSet<>();
    try (Connection connection = dataSource.getConnection()) {
      for (TableMapping table : mapping.tables()) {
        String sql = "SELECT * FROM " + table.table() + " WHERE " + table.tenantColumn() + "::text = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
          statement.setString(1, tenantId);
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              String id = rows.getString(table.key());
              TreeMap<String, String> properties = new TreeMap<>();
              properties.put("id", id);
              properties.put("pgId", id);
              properties.put("tenantId", rows.getString(table.tenantColumn()));
              properties.put("pgVersion", Long.toString(rows.getLong("pg_version")));
              for (MappedColumn column : MappedColumns.of(table)) {
                putIfPresent(properties, column.property(), normalize(rows.getObject(column.column())));
              }
              nodes.put(table.label() + ":" + id, properties);
              for (RelationshipMapping fk : table.relationships()) {
                String target = rows.getString(fk.column());
                if (target != null) {
                  relationships.add(fk.direction() == Direction.OUTGOING
                      ? id + "-" + fk.type() + "->" + target + " {}"
                      : target + "-" + fk.type() + "->" + id + " {}");
                }
              }
            }
          }
        }
      }
      for (JoinTableMapping join : mapping.joinTables()) {
        String sql = "SELECT * FROM " + join.table() + " WHERE " + join.tenantColumn() + "::text = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
          statement.setString(1, tenantId);
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              TreeMap<String, String> properties = new TreeMap<>();
              properties.put("tenantId", rows.getString(join.tenantColumn()));
              for (MappedColumn column : MappedColumns.of(join)) {
                putIfPresent(properties, column.property(), normalize(rows.getObject(column.column())));
              }
              relationships.add(rows.getString(join.fromColumn()) + "-" + join.type() + "->"
                  + rows.getString(join.toColumn()) + " " + properties);
            }
          }
        }
      }
    }
    return new GraphSnapshot(nodes, relationships);
  }

  /** What Neo4j holds for the tenant (placeholders and tombstones are not part of the domain graph). */
  static GraphSnapshot actual(Driver driver, GraphMapping mapping, String tenantId) {
    TreeMap<String, TreeMap<String, String>> nodes = new TreeMap<>();
    TreeSet<String> relationships = new TreeSet<>();
    List<String> system = List.of("syncPosition", "lastSyncedAt", "neo4jVersion", "placeholder");
    for (TableMapping table : mapping.tables()) {
      for (Record record : driver.executableQuery("MATCH (n:`" + table.label() + "`) WHERE n.tenantId = $tenant "
              + "AND n.placeholder IS NULL RETURN n")
          .withParameters(Map.of("tenant", tenantId)).execute().records()) {
        TreeMap<String, String> properties = new TreeMap<>();
        record.get("n").asNode().asMap(Value::asObject).forEach((key, value) -> {
          if (!system.contains(key)) {
            putIfPresent(properties, key, normalize(value));
          }
        });
        nodes.put(table.label() + ":" + properties.get("id"), properties);
      }
    }
    for (Record record : driver.executableQuery("MATCH (a)-[r]->(b) WHERE a.tenantId = $tenant OR b.tenantId = $tenant "
            + "RETURN a.id AS a, type(r) AS type, b.id AS b, r")
        .withParameters(Map.of("tenant", tenantId)).execute().records()) {
      TreeMap<String, String> properties = new TreeMap<>();
      record.get("r").asRelationship().asMap(Value::asObject).forEach((key, value) -> {
        if (!system.contains(key)) {
          putIfPresent(properties, key, normalize(value));
        }
      });
      relationships.add(record.get("a").asString() + "-" + record.get("type").asString() + "->"
          + record.get("b").asString() + " " + properties);
    }
    return new GraphSnapshot(nodes, relationships);
  }

  private static void putIfPresent(Map<String, String> properties, String key, String value) {
    if (value != null) {
      properties.put(key, value);
    }
  }

  /** One text form per value, whichever store it came from (also used by the fault run's comparison). */
  public static String normalize(Object value) {
    try {
      if (value == null) {
        return null;
      }
      if (value instanceof Array array) {
        return normalize(List.of((Object[]) array.getArray()));
      }
      if (value instanceof List<?> list) {
        List<String> items = new ArrayList<>();
        list.forEach(item -> items.add(normalize(item)));
        return items.toString();
      }
      if (value instanceof BigDecimal || value instanceof Double || value instanceof Float) {
        return Double.toString(Double.parseDouble(value.toString()));
      }
      if (value instanceof java.sql.Timestamp timestamp) {
        return timestamp.toInstant().toString();
      }
      if (value instanceof OffsetDateTime time) {
        return time.toInstant().toString();
      }
      if (value instanceof ZonedDateTime time) {
        return time.toInstant().toString();
      }
      if (value instanceof org.postgresql.util.PGobject object) {
        return JSON.readTree(object.getValue()).toString();
      }
      String text = value.toString();
      if (text.startsWith("{") || text.startsWith("[")) {
        return JSON.readTree(text).toString();
      }
      if (text.length() > 200) {
        // long texts compare by digest, so a failure message stays readable
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "text(" + text.length() + " chars, sha256 " + java.util.HexFormat.of().formatHex(digest, 0, 8) + ")";
      }
      return text;
    } catch (Exception e) {
      return Objects.toString(value);
    }
  }
}
