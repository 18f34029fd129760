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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns a Debezium row {@link Struct} into the JSON-friendly column map of a {@link ChangeEvent}.
 *
 * <p>With the capture's Debezium settings: uuid, jsonb, timestamptz ({@code ZonedTimestamp}), numeric
 * ({@code decimal.handling.mode=string}) and interval ({@code interval.handling.mode=string}) already arrive as
 * strings. Here: arrays become lists, bytea becomes base64, date/time/timestamp logical types become ISO-8601 text,
 * and Debezium's TOAST placeholder (a string, its bytes, or a one-element list of it) becomes
 * {@link ChangeEvent#UNAVAILABLE_VALUE}.
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
      Map<String, Object> normalized = new LinkedHashMap<>();
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
      default -> null;
    };
  }

  private static String localDateTime(long epochNanos) {
    Instant instant = Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
        Math.floorMod(epochNanos, 1_000_000_000L));
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
  }
}
