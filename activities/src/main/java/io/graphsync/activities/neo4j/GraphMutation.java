package io.graphsync.activities.neo4j;

import io.graphsync.workflows.mapping.Direction;
import io.graphsync.workflows.sync.EntityKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One change to the graph, planned from one change event: what to write, never how. Labels and types come from the
 * validated mapping; ids and values from the row.
 */
public sealed interface GraphMutation {

  /** The change's order key. */
  long position();

  /** The key of the tombstone that a delete of this entity leaves, and that guards later writes of it. */
  String tombstoneKey();

  /** The tombstone key of a node: {@code <Label>:<id>}. */
  static String nodeTombstoneKey(String label, String id) {
    return label + ":" + id;
  }

  /** The tombstone key of a join-table relationship: {@code <TYPE>:<fromId>|<toId>}. */
  static String relationshipTombstoneKey(String type, String fromId, String toId) {
    return type + ":" + EntityKey.join(fromId, toId);
  }

  /** A node by label and key. */
  record NodeRef(String label, String id) {

    public String tombstoneKey() {
      return nodeTombstoneKey(label, id);
    }
  }

  /**
   * The relationship a foreign-key column makes: to {@code targetId}, or none when the column is null.
   *
   * @param direction seen from the node that holds the foreign key
   * @param targetId the referenced key as text, or null for "no relationship"
   */
  record ForeignKeyLink(String type, Direction direction, String targetLabel, String targetId) {

    /** The tombstone key of the target node. */
    public String targetTombstoneKey() {
      return nodeTombstoneKey(targetLabel, targetId);
    }
  }

  /**
   * Create or update a node and its foreign-key relationships.
   *
   * @param properties property name → Neo4j value; a null value removes the property; a column that is not in the
   *     map (e.g. an unavailable TOASTed value) keeps its current value
   * @param links the foreign keys whose value is known in this change
   */
  record UpsertNode(String label, String id, String tenantId, Long version, long position,
      Map<String, Object> properties, List<ForeignKeyLink> links) implements GraphMutation {

    public UpsertNode {
      properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
      links = List.copyOf(links);
    }

    @Override
    public String tombstoneKey() {
      return nodeTombstoneKey(label, id);
    }
  }

  /**
   * Delete a node with its relationships, leaving a tombstone.
   *
   * @param held the relationships other rows own that can reach this node (join rows, other tables' foreign keys):
   *     one written from a change after this delete keeps the node, as a placeholder (see {@link HeldRelationship})
   */
  record DeleteNode(String label, String id, long position, List<HeldRelationship> held) implements GraphMutation {

    public DeleteNode {
      held = List.copyOf(held);
    }

    /** A delete of a node that no other row's relationship can reach. */
    public DeleteNode(String label, String id, long position) {
      this(label, id, position, List.of());
    }

    @Override
    public String tombstoneKey() {
      return nodeTombstoneKey(label, id);
    }
  }

  /**
   * A kind of relationship that another row owns and that can reach a deleted node. Changes run out of order across
   * entities: a row can be deleted and inserted again with the same key, and a join row or a foreign key written
   * after the insert can reach the graph before the delete does. Such a relationship is newer than the delete (it
   * proves the node exists again later), so the delete keeps it and leaves the node as a placeholder, which the
   * insert then fills.
   *
   * @param direction seen from the deleted node
   * @param otherLabel the label of the node at the other end
   * @param positioned true for a join row's relationship (its own {@code syncPosition} dates it); false for another
   *     table's foreign key (the owning node's {@code syncPosition} dates it)
   */
  record HeldRelationship(String type, Direction direction, String otherLabel, boolean positioned) {}

  /** Create or update the relationship of a join-table row; missing endpoints become placeholders. */
  record UpsertRelationship(String type, NodeRef from, NodeRef to, String tenantId, long position,
      Map<String, Object> properties) implements GraphMutation {

    public UpsertRelationship {
      properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    @Override
    public String tombstoneKey() {
      return relationshipTombstoneKey(type, from.id(), to.id());
    }
  }

  /** Delete the relationship of a join-table row, leaving a tombstone. */
  record DeleteRelationship(String type, NodeRef from, NodeRef to, long position) implements GraphMutation {

    @Override
    public String tombstoneKey() {
      return relationshipTombstoneKey(type, from.id(), to.id());
    }
  }
}
