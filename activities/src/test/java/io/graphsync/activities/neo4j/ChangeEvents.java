package io.graphsync.activities.neo4j;

import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Change events as the capture makes them, for tests. */
public final class ChangeEvents {

  private ChangeEvents() {}

  public static ChangeEvent create(String table, String entityId, long position, Map<String, Object> data) {
    return event(EventType.CREATE, table, entityId, position, data, null);
  }

  public static ChangeEvent update(String table, String entityId, long position, Map<String, Object> data) {
    return event(EventType.UPDATE, table, entityId, position, data, data);
  }

  public static ChangeEvent delete(String table, String entityId, long position, Map<String, Object> previousData) {
    return event(EventType.DELETE, table, entityId, position, null, previousData);
  }

  public static ChangeEvent event(EventType type, String table, String entityId, long position,
      Map<String, Object> data, Map<String, Object> previousData) {
    if (entityId == null) {
      // bad input only: the builder refuses an event without a key, the planner must refuse it too
      return new ChangeEvent(ChangeEvent.eventIdOf(table, null, position), "tx-" + position, type, table, null, null,
          Instant.parse("2025-01-01T00:00:00Z"), data, previousData, null, EventSource.POSTGRES, position, position,
          table, false);
    }
    // the entity type is the table's name here: the planner takes labels from the mapping, not from the event
    return ChangeEvent.builder(EventSource.POSTGRES, type).entity(table, table, entityId)
        .correlationId("tx-" + position).timestamp(Instant.parse("2025-01-01T00:00:00Z")).data(data)
        .previousData(previousData).version(position).position(position).build();
  }

  /** A map that may hold null values (Map.of cannot). */
  public static Map<String, Object> row(Object... keysAndValues) {
    Map<String, Object> row = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      row.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return row;
  }
}
