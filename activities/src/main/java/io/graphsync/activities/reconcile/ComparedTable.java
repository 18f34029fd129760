package io.graphsync.activities.reconcile;

import io.graphsync.workflows.reconcile.Finding;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neo4j.driver.Session;

/**
 * How one mapped table is compared with the graph: its key order, its PostgreSQL page and key lookups (rows in the
 * capture's representation), its Neo4j page and key lookups, and the classification of one key's two sides.
 */
interface ComparedTable {

  /** One row, by its key as text (join tables: {@code <from>|<to>}). */
  record Row(String key, Map<String, Object> values) {}

  /**
   * One graph element: a node with the target ids of each foreign-key relationship (in the mapping's order), or a
   * join relationship (no links).
   */
  record Element(String key, Map<String, Object> properties, List<List<String>> links) {}

  String table();

  /** The order of keys, the same as the SQL's and the Cypher's {@code ORDER BY}. */
  Comparator<String> keyOrder();

  /** Up to {@code limit} rows after {@code afterKey} (null: from the start), in key order. */
  List<Row> rows(Connection connection, String afterKey, int limit, String tenantId) throws SQLException;

  /** The rows with these keys, any tenant. */
  List<Row> rows(Connection connection, Collection<String> keys) throws SQLException;

  /** Up to {@code limit} graph elements after {@code afterKey}, in key order. */
  List<Element> elements(Session session, String afterKey, int limit, String tenantId);

  /** The graph elements with these keys, any tenant. */
  List<Element> elements(Session session, Collection<String> keys);

  /**
   * Graph elements that the key-ordered pages cannot hold (their key does not sort as the graph sorts them, e.g. a
   * join relationship whose from node's id contains the key separator). No row can have their key; the last page of
   * a table compares them. {@link #elements(Session, Collection)} finds them by key.
   */
  default List<Element> unordered(Session session, String tenantId) {
    return List.of();
  }

  /**
   * What differs between a key's row and graph element (either may be null), if anything.
   *
   * @param details whether to include the differing values (and, for a same-version conflict, both sides); a
   *     comparison page leaves them out to keep its result small, the re-check adds them
   */
  Optional<Finding> classify(String key, Row row, Element element, boolean details);
}
