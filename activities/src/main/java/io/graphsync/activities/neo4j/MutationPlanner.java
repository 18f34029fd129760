package io.graphsync.activities.neo4j;

import io.graphsync.activities.mapping.MappedColumn;
import io.graphsync.activities.mapping.MappedColumns;
import io.graphsync.activities.neo4j.GraphMutation.DeleteNode;
import io.graphsync.activities.neo4j.GraphMutation.DeleteRelationship;
import io.graphsync.activities.neo4j.GraphMutation.ForeignKeyLink;
import io.graphsync.activities.neo4j.GraphMutation.HeldRelationship;
import io.graphsync.activities.neo4j.GraphMutation.NodeRef;
import io.graphsync.activities.neo4j.GraphMutation.UpsertNode;
import io.graphsync.activities.neo4j.GraphMutation.UpsertRelationship;
import io.graphsync.workflows.mapping.Direction;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.RelationshipMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EntityKey;
import io.graphsync.workflows.sync.EventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans the {@link GraphMutation} of one {@link ChangeEvent} from a resolved mapping: which label or relationship
 * type, which key, which properties with which converted values. Pure: no I/O.
 *
 * <p>A CREATE or UPDATE reads the row from {@code data}, a DELETE from {@code previousData} (falling back to
 * {@code entityId} for the key). Property keys come only from the mapping. A value equal to
 * {@link ChangeEvent#UNAVAILABLE_VALUE} (an unchanged TOASTed column) is left out, so the graph keeps its value; so is
 * a column the row does not carry. Failures are non-retryable {@code ApplicationFailure}s: {@code UnmappedTable} for
 * a table the mapping lacks, {@code InvalidData} for a value that cannot be converted or a malformed event,
 * {@code SchemaChanged} for a CREATE or UPDATE whose row lacks a mapped column (the capture marks it
 * {@link ChangeEvent#MISSING_COLUMN_VALUE}: dropped or renamed since the mapping was validated). A column the row
 * merely does not carry is not that: it keeps its value, like an unchanged TOASTed one.
 */
public final class MutationPlanner {

  private final Map<String, TableMapping> tables = new HashMap<>();
  private final Map<String, JoinTableMapping> joinTables = new HashMap<>();
  private final Map<String, List<MappedColumn>> properties = new HashMap<>();
  private final Map<String, String> labels = new HashMap<>();
  private final Map<String, List<HeldRelationship>> heldByLabel = new HashMap<>();

  /**
   * @param mapping a mapping resolved by {@link io.graphsync.activities.mapping.MappingValidator}
   * @throws IllegalArgumentException when it is not resolved (a property without conversion, an unmapped target)
   */
  public MutationPlanner(GraphMapping mapping) {
    for (TableMapping table : mapping.tables()) {
      tables.put(table.table(), table);
      labels.put(table.table(), table.label());
      properties.put(table.table(), MappedColumns.of(table));
    }
    for (JoinTableMapping join : mapping.joinTables()) {
      joinTables.put(join.table(), join);
      properties.put(join.table(), MappedColumns.of(join));
      labelOf(join.fromTable());
      labelOf(join.toTable());
    }
    for (TableMapping table : mapping.tables()) {
      table.relationships().forEach(relationship -> labelOf(relationship.target()));
    }
    for (JoinTableMapping join : mapping.joinTables()) {
      held(labelOf(join.fromTable())).add(
          new HeldRelationship(join.type(), Direction.OUTGOING, labelOf(join.toTable()), true));
      held(labelOf(join.toTable())).add(
          new HeldRelationship(join.type(), Direction.INCOMING, labelOf(join.fromTable()), true));
    }
    for (TableMapping table : mapping.tables()) {
      for (RelationshipMapping relationship : table.relationships()) {
        Direction seenFromTarget = relationship.direction() == Direction.OUTGOING
            ? Direction.INCOMING : Direction.OUTGOING;
        held(labelOf(relationship.target())).add(
            new HeldRelationship(relationship.type(), seenFromTarget, table.label(), false));
      }
    }
  }

  private List<HeldRelationship> held(String label) {
    return heldByLabel.computeIfAbsent(label, l -> new ArrayList<>());
  }

  /** The relationships other rows own that can reach a node of {@code label} (see {@link HeldRelationship}). */
  public List<HeldRelationship> heldRelationships(String label) {
    return List.copyOf(heldByLabel.getOrDefault(label, List.of()));
  }

  /** The mutation of one event. */
  public GraphMutation plan(ChangeEvent event) {
    if (event.eventType() == null) {
      throw GraphFailures.invalidData("event " + event.eventId() + " has no eventType");
    }
    TableMapping table = tables.get(event.table());
    if (table != null) {
      return planNode(event, table);
    }
    JoinTableMapping join = joinTables.get(event.table());
    if (join != null) {
      return planRelationship(event, join);
    }
    throw GraphFailures.unmappedTable(event.table());
  }

  private GraphMutation planNode(ChangeEvent event, TableMapping table) {
    Map<String, Object> row = row(event);
    String id = keyText(table.table(), table.key(), row.get(table.key()));
    if (id == null) {
      id = event.entityId();
    }
    if (id == null || id.isEmpty()) {
      throw GraphFailures.invalidData("event " + event.eventId() + " of table '" + table.table()
          + "' carries no key ('" + table.key() + "')");
    }
    if (event.eventType() == EventType.DELETE) {
      return new DeleteNode(table.label(), id, event.position(), heldRelationships(table.label()));
    }
    List<ForeignKeyLink> links = new ArrayList<>();
    for (RelationshipMapping relationship : table.relationships()) {
      Object value = row.get(relationship.column());
      if (row.containsKey(relationship.column()) && !ValueConverter.isUnavailable(value)) {
        links.add(new ForeignKeyLink(relationship.type(), relationship.direction(), labels.get(relationship.target()),
            keyText(table.table(), relationship.column(), value)));
      }
    }
    return new UpsertNode(table.label(), id, tenantId(event, table.table(), table.tenantColumn(), row),
        event.version(), event.position(), properties(table.table(), row), links);
  }

  private GraphMutation planRelationship(ChangeEvent event, JoinTableMapping join) {
    Map<String, Object> row = row(event);
    String fromId = keyText(join.table(), join.fromColumn(), row.get(join.fromColumn()));
    String toId = keyText(join.table(), join.toColumn(), row.get(join.toColumn()));
    if ((fromId == null || toId == null) && event.entityId() != null) {
      List<String> ids = EntityKey.parts(event.entityId());
      if (ids.size() == 2) {
        fromId = fromId == null ? ids.get(0) : fromId;
        toId = toId == null ? ids.get(1) : toId;
      }
    }
    if (fromId == null || fromId.isEmpty() || toId == null || toId.isEmpty()) {
      throw GraphFailures.invalidData("event " + event.eventId() + " of join table '" + join.table()
          + "' does not carry both keys ('" + join.fromColumn() + "', '" + join.toColumn() + "')");
    }
    NodeRef from = new NodeRef(labels.get(join.fromTable()), fromId);
    NodeRef to = new NodeRef(labels.get(join.toTable()), toId);
    if (event.eventType() == EventType.DELETE) {
      return new DeleteRelationship(join.type(), from, to, event.position());
    }
    return new UpsertRelationship(join.type(), from, to, tenantId(event, join.table(), join.tenantColumn(), row),
        event.position(), properties(join.table(), row));
  }

  private static Map<String, Object> row(ChangeEvent event) {
    Map<String, Object> row = event.eventType() == EventType.DELETE ? event.previousData() : event.data();
    if (row == null && event.eventType() != EventType.DELETE) {
      throw GraphFailures.invalidData("event " + event.eventId() + " (" + event.eventType() + " of table '"
          + event.table() + "') has no data");
    }
    if (row != null && event.eventType() != EventType.DELETE) {
      for (Map.Entry<String, Object> column : row.entrySet()) {
        if (ChangeEvent.MISSING_COLUMN_VALUE.equals(column.getValue())) {
          throw GraphFailures.schemaChanged(event.table(), column.getKey());
        }
      }
    }
    return row == null ? Map.of() : row;
  }

  /** The mapped properties present in the row, converted; unavailable TOASTed values left out. */
  private Map<String, Object> properties(String table, Map<String, Object> row) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (MappedColumn column : properties.get(table)) {
      if (!row.containsKey(column.column())) {
        continue;
      }
      Object value = row.get(column.column());
      if (ValueConverter.isUnavailable(value)) {
        continue;
      }
      try {
        values.put(column.property(), ValueConverter.convert(value, column.conversion()));
      } catch (InvalidValueException e) {
        throw GraphFailures.invalidValue(table, column.column(), value, e);
      }
    }
    return values;
  }

  /** The tenant column's value when the row has it, else the event's tenant. */
  private static String tenantId(ChangeEvent event, String table, String tenantColumn, Map<String, Object> row) {
    if (tenantColumn != null && row.containsKey(tenantColumn)
        && !ValueConverter.isUnavailable(row.get(tenantColumn))) {
      return keyText(table, tenantColumn, row.get(tenantColumn));
    }
    return event.tenantId();
  }

  private static String keyText(String table, String column, Object value) {
    if (ValueConverter.isUnavailable(value)) {
      return null;
    }
    try {
      return ValueConverter.keyText(value);
    } catch (InvalidValueException e) {
      throw GraphFailures.invalidValue(table, column, value, e);
    }
  }

  private String labelOf(String table) {
    String label = labels.get(table);
    if (label == null) {
      throw new IllegalArgumentException("the mapping is not resolved: '" + table + "' is not a mapped table");
    }
    return label;
  }
}
