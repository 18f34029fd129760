package io.graphsync.activities.neo4j;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;

/** Reads back what the tests wrote, matching only the given ids (the server is shared by all tests). */
public final class GraphProbe {

  private final Driver driver;

  GraphProbe(Driver driver) {
    this.driver = driver;
  }

  /** The properties of the one node of that label and id, if any; fails on duplicates. */
  public Optional<Map<String, Object>> node(String label, String id) {
    List<Record> records = query("MATCH (n:`" + label + "` {id: $id}) RETURN properties(n) AS p", Map.of("id", id));
    if (records.size() > 1) {
      throw new AssertionError(records.size() + " nodes " + label + " " + id);
    }
    return records.stream().findFirst().map(r -> r.get("p").asMap());
  }

  /** How many nodes of any label have that id. */
  public long nodesWithId(String id) {
    return query("MATCH (n {id: $id}) RETURN count(n) AS c", Map.of("id", id)).get(0).get("c").asLong();
  }

  /** Every relationship touching the node, as {@code (from)-[TYPE {props}]->(to)} lines. */
  public Set<String> relationships(String id) {
    return query("MATCH (n {id: $id})-[r]-() RETURN startNode(r).id AS s, type(r) AS t, endNode(r).id AS e, "
        + "properties(r) AS p", Map.of("id", id)).stream()
        .map(r -> "(" + r.get("s").asString() + ")-[" + r.get("t").asString() + " "
            + new java.util.TreeMap<>(r.get("p").asMap()) + "]->(" + r.get("e").asString() + ")")
        .collect(Collectors.toSet());
  }

  /** The relationship properties of {@code (from)-[type]->(to)}, if there is exactly one. */
  public Optional<Map<String, Object>> relationship(String fromId, String type, String toId) {
    List<Record> records = query("MATCH ({id: $from})-[r:`" + type + "`]->({id: $to}) RETURN properties(r) AS p",
        Map.of("from", fromId, "to", toId));
    if (records.size() > 1) {
      throw new AssertionError(records.size() + " relationships " + fromId + " " + type + " " + toId);
    }
    return records.stream().findFirst().map(r -> r.get("p").asMap());
  }

  /** The position of the tombstone with that key, if any. */
  public Optional<Long> tombstone(String key) {
    return query("MATCH (t:GraphsyncTombstone {key: $key}) RETURN t.position AS p", Map.of("key", key)).stream()
        .findFirst().map(r -> r.get("p").asLong());
  }

  private List<Record> query(String cypher, Map<String, Object> parameters) {
    return driver.executableQuery(cypher).withParameters(parameters).execute().records();
  }
}
