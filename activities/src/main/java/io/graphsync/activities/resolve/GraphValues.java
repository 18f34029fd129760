package io.graphsync.activities.resolve;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import org.neo4j.driver.types.IsoDuration;
import org.neo4j.driver.types.Point;

/**
 * A Neo4j property value (as the Java driver returns it) as PostgreSQL input text, for {@code CAST(? AS <type>)}: the
 * way back of the graph writer's conversions. Text stays text; numbers and booleans are written in PostgreSQL's input
 * syntax; date-times in ISO-8601 with their offset (a region is resolved to its offset at that instant); lists become
 * arrays of such texts; durations, points and byte arrays in PostgreSQL's interval, point and bytea input. Anything the
 * graph writer never writes (maps) is refused.
 */
public final class GraphValues {

  private GraphValues() {}

  /** The text of a scalar property value; null stays null. */
  public static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return value.toString();
    }
    if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (Double.isNaN(number)) {
        return "NaN";
      }
      if (Double.isInfinite(number)) {
        return number > 0 ? "Infinity" : "-Infinity";
      }
      // shortest text that reads back as the same double; PostgreSQL reads the exponent form too
      return Double.toString(number);
    }
    if (value instanceof Boolean bool) {
      return bool ? "true" : "false";
    }
    if (value instanceof ZonedDateTime zoned) {
      return zoned.toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
    if (value instanceof OffsetDateTime offset) {
      return offset.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
    if (value instanceof LocalDateTime local) {
      return local.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    }
    if (value instanceof LocalDate date) {
      return date.format(DateTimeFormatter.ISO_LOCAL_DATE);
    }
    if (value instanceof LocalTime || value instanceof OffsetTime) {
      return value.toString();
    }
    if (value instanceof IsoDuration duration) {
      // PostgreSQL reads ISO-8601 durations with signed parts: months, days, seconds (with the fraction)
      return "P" + duration.months() + "M" + duration.days() + "DT"
          + BigDecimal.valueOf(duration.seconds()).add(BigDecimal.valueOf(duration.nanoseconds(), 9))
              .stripTrailingZeros().toPlainString() + "S";
    }
    if (value instanceof Point point) {
      return "(" + Double.toString(point.x()) + "," + Double.toString(point.y()) + ")";
    }
    if (value instanceof byte[] bytes) {
      return "\\x" + HexFormat.of().formatHex(bytes);
    }
    throw new IllegalArgumentException("a " + value.getClass().getSimpleName()
        + " (graphsync writes only text, numbers, booleans, dates, times, durations, points, bytes and lists of them)");
  }

  /** The element texts of a list property value (an array column); null stays null. */
  public static String[] array(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException("a " + value.getClass().getSimpleName() + " where a list is mapped");
    }
    String[] elements = new String[list.size()];
    for (int i = 0; i < elements.length; i++) {
      if (list.get(i) instanceof List<?>) {
        throw new IllegalArgumentException("a nested list");
      }
      elements[i] = text(list.get(i));
    }
    return elements;
  }
}
