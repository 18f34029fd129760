package io.graphsync.starters.cdc;

import io.debezium.data.Envelope;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one Debezium PostgreSQL change record (Kafka Connect {@link Struct}s) into a {@link ChangeEvent}.
 *
 * <p>Ops {@code c} and {@code r} (snapshot read) become CREATE, {@code u} UPDATE, {@code d} DELETE. The position is
 * the change's LSN ({@code source.lsn}), the correlation id the transaction id, the timestamp the commit time
 * ({@code source.ts_ms}), the entity id the key's text ({@code from|to} for join tables).
 *
 * <p>Empty for records that are not changes to sync: heartbeats, tombstones, other Debezium messages (truncate,
 * logical decoding messages), tables the mapping does not name (warned once per table), and updates that change
 * only the sync bookkeeping columns ({@link GraphMapping#SYNC_COLUMNS}) — the "no sync loops" invariant.
 *
 * @throws MalformedChangeException from {@link #map} for a change of a mapped table that lacks what an event needs
 */
public final class ChangeEventMapper {

  private static final Logger log = LoggerFactory.getLogger(ChangeEventMapper.class);

  /** Debezium's heartbeat value schema. */
  static final String HEARTBEAT_SCHEMA = "io.debezium.connector.common.Heartbeat";

  /** Debezium's default heartbeat topic prefix ({@code topic.heartbeat.prefix}), as the capture sets it. */
  static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";

  private static final Set<String> SYNC_COLUMNS = Set.copyOf(GraphMapping.SYNC_COLUMNS);

  private final MappedTables tables;
  private final Set<String> warnedTables = ConcurrentHashMap.newKeySet();

  public ChangeEventMapper(GraphMapping mapping, String defaultSchema) {
    this(new MappedTables(mapping, defaultSchema));
  }

  ChangeEventMapper(MappedTables tables) {
    this.tables = tables;
  }

  public Optional<ChangeEvent> map(SourceRecord record) {
    if (record.value() == null) {
      return Optional.empty(); // tombstone
    }
    if (isHeartbeat(record)) {
      return Optional.empty();
    }
    if (!(record.value() instanceof Struct value) || !Envelope.isEnvelopeSchema(record.valueSchema())) {
      log.debug("ignoring a record that is not a change event, topic {}", record.topic());
      return Optional.empty();
    }
    Struct source = structOrNull(value, Envelope.FieldName.SOURCE);
    if (source == null) {
      throw new MalformedChangeException("change record without source block, topic " + record.topic(), null);
    }
    Long position = longOrNull(source, "lsn");
    String op = value.getString(Envelope.FieldName.OPERATION);
    EventType eventType = eventType(op, position);
    if (eventType == null) {
      return Optional.empty(); // truncate, message
    }
    String schema = source.getString("schema");
    String tableName = source.getString("table");
    Optional<MappedTable> mapped = tables.find(schema, tableName);
    if (mapped.isEmpty()) {
      if (warnedTables.add(schema + "." + tableName)) {
        log.warn("ignoring changes of {}.{}: the mapping does not name it", schema, tableName);
      }
      return Optional.empty();
    }
    if (position == null) {
      throw new MalformedChangeException("change of " + schema + "." + tableName + " without source.lsn", null);
    }
    Map<String, Object> before = ColumnValues.of(structOrNull(value, Envelope.FieldName.BEFORE));
    Map<String, Object> after = ColumnValues.of(structOrNull(value, Envelope.FieldName.AFTER));
    if (eventType == EventType.UPDATE && before != null && after != null && onlySyncColumnsChanged(before, after)) {
      log.debug("dropping update of {} at {}: only sync columns changed", tableName, position);
      return Optional.empty();
    }
    return Optional.of(event(mapped.get(), eventType, source, position, before, after));
  }

  private ChangeEvent event(
      MappedTable table, EventType eventType, Struct source, long position, Map<String, Object> before,
      Map<String, Object> after) {
    Map<String, Object> row = eventType == EventType.DELETE ? before : after;
    if (row == null) {
      throw new MalformedChangeException(eventType + " of " + table.name() + " at " + position + " without "
          + (eventType == EventType.DELETE ? "before" : "after") + " image", position);
    }
    String entityId = entityId(table, row, position);
    Object tenant = table.tenantColumn() == null ? null : row.get(table.tenantColumn());
    Long txId = longOrNull(source, "txId");
    Long commitMillis = longOrNull(source, "ts_ms");
    if (commitMillis == null) {
      throw new MalformedChangeException("change of " + table.name() + " at " + position + " without source.ts_ms",
          position);
    }
    return new ChangeEvent(
        ChangeEvent.eventIdOf(table.name(), entityId, position),
        txId == null ? null : txId.toString(),
        eventType,
        table.entityType(),
        entityId,
        tenant == null ? null : tenant.toString(),
        Instant.ofEpochMilli(commitMillis),
        eventType == EventType.DELETE ? null : after,
        eventType == EventType.CREATE ? null : before,
        null,
        EventSource.POSTGRES,
        table.versioned() ? version(row, table, position) : null,
        position,
        table.name(),
        false);
  }

  private static String entityId(MappedTable table, Map<String, Object> row, long position) {
    StringJoiner id = new StringJoiner(MappedTable.KEY_SEPARATOR);
    for (String column : table.keyColumns()) {
      Object value = row.get(column);
      if (value == null || ChangeEvent.UNAVAILABLE_VALUE.equals(value)) {
        throw new MalformedChangeException("change of " + table.name() + " at " + position + " has no value for key "
            + "column " + column, position);
      }
      id.add(value.toString());
    }
    return id.toString();
  }

  private static Long version(Map<String, Object> row, MappedTable table, long position) {
    Object version = row.get("pg_version");
    if (version == null) {
      return null;
    }
    if (version instanceof Number number) {
      return number.longValue();
    }
    throw new MalformedChangeException("pg_version of " + table.name() + " at " + position + " is not a number: "
        + version, position);
  }

  /**
   * Whether the update changed nothing but sync columns. A column whose new value is the TOAST placeholder was not
   * changed (PostgreSQL sends an unchanged TOASTed value only as "unchanged"). Needs the complete before image that
   * REPLICA IDENTITY FULL gives; without one the update is kept (applying it again is harmless).
   */
  static boolean onlySyncColumnsChanged(Map<String, Object> before, Map<String, Object> after) {
    Set<String> columns = new HashSet<>(before.keySet());
    columns.addAll(after.keySet());
    columns.removeAll(SYNC_COLUMNS);
    for (String column : columns) {
      Object newValue = after.get(column);
      if (ChangeEvent.UNAVAILABLE_VALUE.equals(newValue)) {
        continue;
      }
      if (!Objects.equals(before.get(column), newValue)) {
        return false;
      }
    }
    return true;
  }

  private static EventType eventType(String op, Long position) {
    Envelope.Operation operation = op == null ? null : Envelope.Operation.forCode(op);
    if (operation == null) {
      throw new MalformedChangeException("unknown operation '" + op + "'", position);
    }
    return switch (operation) {
      case CREATE, READ -> EventType.CREATE;
      case UPDATE -> EventType.UPDATE;
      case DELETE -> EventType.DELETE;
      default -> null;
    };
  }

  static boolean isHeartbeat(SourceRecord record) {
    Schema schema = record.valueSchema();
    return (schema != null && HEARTBEAT_SCHEMA.equals(schema.name()))
        || (record.topic() != null && record.topic().startsWith(HEARTBEAT_TOPIC_PREFIX));
  }

  private static Struct structOrNull(Struct struct, String field) {
    Field f = struct.schema().field(field);
    return f == null ? null : struct.getStruct(field);
  }

  private static Long longOrNull(Struct struct, String field) {
    Field f = struct.schema().field(field);
    if (f == null) {
      return null;
    }
    Object value = struct.get(f);
    return value instanceof Number number ? number.longValue() : null;
  }

  /** For logs: the LSN of a record, when it has one. */
  static Optional<Long> positionOf(SourceRecord record) {
    if (record.value() instanceof Struct value && Envelope.isEnvelopeSchema(record.valueSchema())) {
      Struct source = structOrNull(value, Envelope.FieldName.SOURCE);
      return source == null ? Optional.empty() : Optional.ofNullable(longOrNull(source, "lsn"));
    }
    Map<String, ?> offset = record.sourceOffset();
    return offset != null && offset.get("lsn") instanceof Number lsn ? Optional.of(lsn.longValue()) : Optional.empty();
  }
}
