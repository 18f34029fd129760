package io.graphsync.starters.cdc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.data.Envelope;
import io.graphsync.workflows.bulk.Truncate;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EntityKey;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
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
 * <p><b>Only mapped columns.</b> {@code data} and {@code previousData} carry the columns the mapping reads (key,
 * tenant, foreign keys, properties) and {@code pg_version}; a column the mapping excludes or does not name never
 * reaches Temporal ({@link MappedTable#carried}).
 *
 * <p><b>Payload size limit.</b> When the JSON of a change's {@code data} and {@code previousData} together is over
 * {@code maxPayloadBytes}, the event carries only the row's key, tenant, foreign-key and {@code pg_version} columns
 * in both, and {@code dataOmitted=true}: the graph writer re-reads the row. Big rows so never go whole into Temporal's
 * history. The size is exact: the bytes Temporal's default JSON converter writes
 * ({@link JacksonJsonPayloadConverter#newDefaultObjectMapper()}); it is measured only when a cheap upper bound (every
 * character counted as 6 bytes, the longest a JSON escape takes) is over the limit, so ordinary rows cost nothing.
 *
 * <p>Empty for records that are not changes to sync: heartbeats, tombstones, other Debezium messages (truncate,
 * logical decoding messages), tables the mapping does not name (warned once per table), and updates that change
 * only the sync bookkeeping columns ({@link GraphMapping#SYNC_COLUMNS}) — the "no sync loops" invariant.
 *
 * <p><b>Schema drift.</b> Each CREATE's and UPDATE's row schema is compared with the mapping ({@link SchemaDrift}): a
 * mapped column the row lacks (dropped or renamed after start-up) is set to {@link ChangeEvent#MISSING_COLUMN_VALUE},
 * so that the workflow fails the change visibly ({@code SchemaChanged}) instead of keeping old values in silence.
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
  private final int maxPayloadBytes;
  private final Set<String> warnedTables = ConcurrentHashMap.newKeySet();
  private final SchemaDrift drift;

  /** A mapper with the default payload size limit ({@link CaptureSettings#DEFAULT_MAX_PAYLOAD_BYTES}). */
  public ChangeEventMapper(GraphMapping mapping, String defaultSchema) {
    this(mapping, defaultSchema, CaptureSettings.DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /** A mapper that leaves out the data of changes over {@code maxPayloadBytes} of JSON. */
  public ChangeEventMapper(GraphMapping mapping, String defaultSchema, int maxPayloadBytes) {
    this(new MappedTables(mapping, defaultSchema), maxPayloadBytes);
  }

  ChangeEventMapper(MappedTables tables, int maxPayloadBytes) {
    this(tables, maxPayloadBytes, new SchemaDrift(Clock.systemUTC()));
  }

  ChangeEventMapper(MappedTables tables, int maxPayloadBytes, SchemaDrift drift) {
    if (maxPayloadBytes <= 0) {
      throw new IllegalArgumentException("maxPayloadBytes must be positive: " + maxPayloadBytes);
    }
    this.tables = tables;
    this.maxPayloadBytes = maxPayloadBytes;
    this.drift = drift;
  }

  /** What the changes seen so far showed of schema changes against the mapping. */
  SchemaDrift drift() {
    return drift;
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
    Struct afterStruct = structOrNull(value, Envelope.FieldName.AFTER);
    Map<String, Object> before = ColumnValues.of(structOrNull(value, Envelope.FieldName.BEFORE));
    Map<String, Object> after = ColumnValues.of(afterStruct);
    if (eventType == EventType.UPDATE && before != null && after != null && onlySyncColumnsChanged(before, after)) {
      log.debug("dropping update of {} at {}: only sync columns changed", tableName, position);
      return Optional.empty();
    }
    if (eventType != EventType.DELETE && afterStruct != null) {
      List<String> missing = drift.check(mapped.get(), afterStruct.schema(), position);
      if (!missing.isEmpty()) {
        // the change still starts its workflow, which fails it visibly (SchemaChanged) instead of keeping the old
        // property values in silence
        drift.affected(mapped.get(), missing, position);
        missing.forEach(column -> after.put(column, ChangeEvent.MISSING_COLUMN_VALUE));
      }
      List<String> retyped = drift.typeChanged(mapped.get(), afterStruct.schema());
      if (!retyped.isEmpty()) {
        // a column altered to another type: its conversion was validated for the old one, so the sync fails visibly
        drift.typeChanged(mapped.get(), retyped, position);
        retyped.forEach(column -> after.put(column, ChangeEvent.MISSING_COLUMN_VALUE));
      }
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
    Map<String, Object> data = eventType == EventType.DELETE ? null : table.carried(after);
    Map<String, Object> previousData = eventType == EventType.CREATE ? null : table.carried(before);
    boolean dataOmitted = false;
    if (PayloadSize.upperBound(data) + PayloadSize.upperBound(previousData) > maxPayloadBytes) {
      long bytes = PayloadSize.json(data) + PayloadSize.json(previousData);
      if (bytes > maxPayloadBytes) {
        log.info("{} of {} {} at {}: data and previousData take {} bytes of JSON, over the payload limit of {}: "
            + "its workflow starts without them (dataOmitted) and re-reads the row", eventType, table.name(),
            entityId, position, bytes, maxPayloadBytes);
        data = table.retained(data);
        previousData = table.retained(previousData);
        dataOmitted = true;
      }
    }
    return ChangeEvent.builder(
        writtenByBackflow(eventType, before, after) ? EventSource.NEO4J : EventSource.POSTGRES, eventType)
        .entity(table.name(), table.entityType(), entityId)
        .tenantId(tenant == null ? null : tenant.toString())
        .correlationId(txId == null ? null : txId.toString())
        .timestamp(Instant.ofEpochMilli(commitMillis))
        .data(data)
        .previousData(previousData)
        .version(table.versioned() ? version(row, table, position) : null)
        .position(position)
        .dataOmitted(dataOmitted)
        .build();
  }

  /**
   * Whether graphsync's back-flow wrote this row from the graph: it sets {@code sync_origin} to
   * {@code neo4j:<neo4jVersion>}, and the back-flow trigger clears it on every other business write. Such a change
   * starts a sync with {@code source = NEO4J}, which only stamps the graph (no loop).
   */
  static boolean writtenByBackflow(EventType eventType, Map<String, Object> before, Map<String, Object> after) {
    if (eventType == EventType.DELETE || after == null || !(after.get("sync_origin") instanceof String origin)
        || !origin.startsWith(GraphMapping.NEO4J_ORIGIN_PREFIX)) {
      return false;
    }
    return eventType == EventType.CREATE || before == null || !origin.equals(before.get("sync_origin"));
  }

  private static String entityId(MappedTable table, Map<String, Object> row, long position) {
    StringJoiner id = new StringJoiner(EntityKey.SEPARATOR);
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
    if (before.get("pg_version") != null && !Objects.equals(before.get("pg_version"), after.get("pg_version"))) {
      // the trigger bumps pg_version only for a business change, also one the images cannot show (a timetz,
      // which both images carry as the placeholder)
      return false;
    }
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

  /**
   * The {@code TRUNCATE} of a mapped table this record carries (Debezium's op {@code t}), if it is one; empty for
   * every other record and for tables the mapping does not name.
   *
   * @throws MalformedChangeException for a truncate without its position or commit time
   */
  Optional<Truncate> truncateOf(SourceRecord record) {
    if (!(record.value() instanceof Struct value) || record.valueSchema() == null
        || !Envelope.isEnvelopeSchema(record.valueSchema())
        || !Envelope.Operation.TRUNCATE.code().equals(value.getString(Envelope.FieldName.OPERATION))) {
      return Optional.empty();
    }
    Struct source = structOrNull(value, Envelope.FieldName.SOURCE);
    Long position = source == null ? null : longOrNull(source, "lsn");
    Long commitMillis = source == null ? null : longOrNull(source, "ts_ms");
    if (position == null || commitMillis == null) {
      throw new MalformedChangeException("truncate record without source.lsn or source.ts_ms, topic "
          + record.topic(), position);
    }
    return tables.find(source.getString("schema"), source.getString("table"))
        .map(table -> new Truncate(table.name(), table.entityType(), position, Instant.ofEpochMilli(commitMillis)));
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

  /** How many bytes a column map takes in a Temporal payload. */
  static final class PayloadSize {

    /** The bound of a value of a type the estimate does not know: large, so that it is measured exactly. */
    private static final long UNKNOWN = 1L << 40;

    private static final ObjectMapper JSON = JacksonJsonPayloadConverter.newDefaultObjectMapper();

    private PayloadSize() {}

    /** Exactly: the bytes of the JSON that Temporal's default converter writes; 0 for null. */
    static long json(Map<String, Object> row) {
      if (row == null) {
        return 0;
      }
      CountingStream counter = new CountingStream();
      try {
        JSON.writeValue(counter, row);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot measure a change's JSON", e);
      }
      return counter.count;
    }

    /**
     * Cheaply, without serialising: at least the exact size. A character takes at most 6 bytes (a unicode escape;
     * UTF-8 needs at most 3 per UTF-16 unit), a number at most 24 characters unless it is a big one.
     */
    static long upperBound(Object value) {
      if (value == null) {
        return 4;
      }
      if (value instanceof CharSequence text) {
        return 6L * text.length() + 2;
      }
      if (value instanceof BigDecimal || value instanceof BigInteger) {
        return value.toString().length();
      }
      if (value instanceof Number || value instanceof Boolean) {
        return 24;
      }
      if (value instanceof Map<?, ?> map) {
        long bound = 2;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          bound += upperBound(String.valueOf(entry.getKey())) + 1 + upperBound(entry.getValue()) + 1;
        }
        return bound;
      }
      if (value instanceof Collection<?> list) {
        long bound = 2;
        for (Object element : list) {
          bound += upperBound(element) + 1;
        }
        return bound;
      }
      return UNKNOWN;
    }

    /** Counts and drops what is written. */
    private static final class CountingStream extends OutputStream {
      private long count;

      @Override
      public void write(int b) {
        count++;
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        count += length;
      }
    }
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
