package io.graphsync.starters.cdc;

import io.graphsync.workflows.sync.ChangeEvent;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns a Debezium row {@link Struct} into the JSON-friendly column map of a {@link ChangeEvent}.
 *
 * <p>With the capture's Debezium settings ({@link DebeziumProperties}): uuid, json/jsonb, xml, inet/cidr/macaddr,
 * ltree, ranges, timestamptz ({@code ZonedTimestamp}), numeric and money ({@code decimal.handling.mode=string}),
 * interval ({@code interval.handling.mode=string}) and bit/varbit ({@link BitStringConverter}) already arrive as
 * strings. Here: arrays become lists, bytea becomes base64, date/time/timestamp logical types become ISO-8601 text, a
 * point becomes {@code {x, y}}, an hstore map gets its keys sorted, and Debezium's TOAST placeholder (a string, its
 * bytes, or a one-element list of it) becomes {@link ChangeEvent#UNAVAILABLE_VALUE}.
 *
 * <p>A timetz also becomes the placeholder: Debezium's pgoutput decoding converts it to UTC before any converter sees
 * it, so its offset is gone; the graph writer fills the value from the row, as it does for an unchanged TOASTed value.
 * The type table is in docs/sync.md.
 */
final class ColumnValues {

  private static final byte[] UNAVAILABLE_BYTES = ChangeEvent.UNAVAILABLE_VALUE.getBytes(StandardCharsets.UTF_8);

  private ColumnValues() {}

  /** The row's columns in table order; null for a null row. */
  static Map<String, Object> of(Struct row) {
    if (row == null) {
      return null;
    }
    Map<String, Object> columns = new LinkedHashMap<>();
    for (Field field : row.schema().fields()) {
      columns.put(field.name(), normalize(field.schema(), row.get(field)));
    }
    return columns;
  }

  static Object normalize(Schema schema, Object value) {
    if (value == null) {
      return null;
    }
    String logical = schema == null ? null : schema.name();
    if (logical != null) {
      Object converted = logicalValue(logical, value);
      if (converted != null) {
        return converted;
      }
    }
    if (value instanceof Struct struct) {
      return of(struct);
    }
    if (value instanceof ByteBuffer buffer) {
      return bytes(toArray(buffer));
    }
    if (value instanceof byte[] bytes) {
      return bytes(bytes);
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof Collection<?> list) {
      return list(schema, list);
    }
    if (value instanceof Map<?, ?> map) {
      // an hstore: sorted by key, so the capture and the re-read agree whatever order Debezium's map has
      Map<String, Object> normalized = new TreeMap<>();
      Schema valueSchema = schema == null ? null : schema.valueSchema();
      map.forEach((k, v) -> normalized.put(String.valueOf(k), normalize(valueSchema, v)));
      return normalized;
    }
    return value;
  }

  private static Object list(Schema schema, Collection<?> values) {
    if (values.size() == 1 && ChangeEvent.UNAVAILABLE_VALUE.equals(values.iterator().next())) {
      return ChangeEvent.UNAVAILABLE_VALUE;
    }
    Schema elementSchema = schema == null ? null : schema.valueSchema();
    List<Object> list = new ArrayList<>(values.size());
    for (Object element : values) {
      list.add(normalize(elementSchema, element));
    }
    return list;
  }

  private static Object bytes(byte[] bytes) {
    if (Arrays.equals(bytes, UNAVAILABLE_BYTES)) {
      return ChangeEvent.UNAVAILABLE_VALUE;
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] toArray(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  /** Debezium's and Kafka Connect's temporal logical types; null when {@code logical} is not one of them. */
  private static Object logicalValue(String logical, Object value) {
    return switch (logical) {
      case "io.debezium.time.Date" -> LocalDate.ofEpochDay(((Number) value).longValue()).toString();
      case "io.debezium.time.Time" ->
          LocalTime.ofNanoOfDay(TimeUnit.MILLISECONDS.toNanos(((Number) value).longValue())).toString();
      case "io.debezium.time.MicroTime" ->
          LocalTime.ofNanoOfDay(TimeUnit.MICROSECONDS.toNanos(((Number) value).longValue())).toString();
      case "io.debezium.time.NanoTime" -> LocalTime.ofNanoOfDay(((Number) value).longValue()).toString();
      case "io.debezium.time.Timestamp" -> localDateTime(TimeUnit.MILLISECONDS.toNanos(((Number) value).longValue()));
      case "io.debezium.time.MicroTimestamp" ->
          localDateTime(TimeUnit.MICROSECONDS.toNanos(((Number) value).longValue()));
      case "io.debezium.time.NanoTimestamp" -> localDateTime(((Number) value).longValue());
      case "org.apache.kafka.connect.data.Date" ->
          ((java.util.Date) value).toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString();
      case "org.apache.kafka.connect.data.Time" ->
          ((java.util.Date) value).toInstant().atOffset(ZoneOffset.UTC).toLocalTime().toString();
      case "org.apache.kafka.connect.data.Timestamp" -> ((java.util.Date) value).toInstant().toString();
      // timetz: Debezium has already converted it to UTC, its offset is lost; the graph writer reads it from the row
      case "io.debezium.time.ZonedTime" -> ChangeEvent.UNAVAILABLE_VALUE;
      case "io.debezium.data.geometry.Point" -> point((Struct) value);
      default -> null;
    };
  }

  /** A point as {@code {x, y}}: what the graph writer's POINT conversion reads (Debezium's WKB left out). */
  private static Map<String, Object> point(Struct point) {
    Map<String, Object> xy = new LinkedHashMap<>();
    xy.put("x", point.getFloat64("x"));
    xy.put("y", point.getFloat64("y"));
    return xy;
  }

  private static String localDateTime(long epochNanos) {
    Instant instant = Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
        Math.floorMod(epochNanos, 1_000_000_000L));
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
  }
}
