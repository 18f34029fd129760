package io.graphsync.activities.reconcile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.neo4j.driver.types.IsoDuration;
import org.neo4j.driver.types.Point;

/**
 * Compares property values in the graph's representation: what the graph writer would store for a row (its
 * {@code MutationPlanner} conversions) against what the driver reads back from a node. Each value gets a canonical
 * text with its kind ({@code i:42}, {@code f:0.5}, {@code dt:<instant>}, ...), so an integer never equals its text and
 * a date-time equals the same instant at another offset (a time with offset does not: its offset is part of the
 * value); an entity's hash is SHA-256 over its sorted
 * {@code name=canonical} pairs. Null and absent are the same (Neo4j stores no nulls).
 */
final class CanonicalValues {

  /** Values longer than this are shortened in findings (the stores keep the full value). */
  static final int MAX_TEXT = 200;

  private CanonicalValues() {}

  /** The canonical text of a value, or null for null. */
  static String canonical(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof CharSequence text) {
      return "s:" + text;
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return "i:" + ((Number) value).longValue();
    }
    if (value instanceof Double || value instanceof Float) {
      return "f:" + ((Number) value).doubleValue();
    }
    if (value instanceof Boolean) {
      return "b:" + value;
    }
    if (value instanceof ZonedDateTime zoned) {
      return zoned.getZone() instanceof ZoneOffset ? "dt:" + zoned.toInstant()
          : "zdt:" + zoned.toInstant() + "[" + zoned.getZone() + "]";
    }
    if (value instanceof OffsetDateTime offset) {
      return "dt:" + offset.toInstant();
    }
    if (value instanceof LocalDateTime || value instanceof LocalDate || value instanceof LocalTime) {
      return value.getClass().getSimpleName() + ":" + value;
    }
    if (value instanceof OffsetTime time) {
      // a timetz keeps its offset: 10:00+02:00 and 08:00Z are different values of the column
      return "t:" + time;
    }
    if (value instanceof IsoDuration duration) {
      return "dur:" + duration.months() + "," + duration.days() + "," + duration.seconds() + ","
          + duration.nanoseconds();
    }
    if (value instanceof Point point) {
      return "pt:" + point.srid() + "," + point.x() + "," + point.y()
          + (Double.isNaN(point.z()) ? "" : "," + point.z());
    }
    if (value instanceof byte[] bytes) {
      return "x:" + HexFormat.of().formatHex(bytes);
    }
    if (value instanceof List<?> list) {
      StringBuilder text = new StringBuilder("l").append(list.size()).append('[');
      for (Object element : list) {
        String canonical = canonical(element);
        String part = canonical == null ? "" : canonical;
        text.append(part.length()).append(':').append(part);
      }
      return text.append(']').toString();
    }
    return value.getClass().getSimpleName() + ":" + value;
  }

  /** The properties named in {@code names} that {@code properties} holds non-null, by name, canonical. */
  static Map<String, String> canonical(Map<String, Object> properties, Iterable<String> names) {
    Map<String, String> canonical = new TreeMap<>();
    for (String name : names) {
      String text = canonical(properties.get(name));
      if (text != null) {
        canonical.put(name, text);
      }
    }
    return canonical;
  }

  /** The stable hash of an entity's canonical properties: 32 hex digits of their SHA-256. */
  static String hash(Map<String, String> canonical) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      new TreeMap<>(canonical).forEach((name, text) -> {
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 1);
      });
      return HexFormat.of().formatHex(digest.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * A value as JSON-friendly data for findings and conflicts: text, long, double, boolean, lists; temporal values as
   * ISO-8601 text; non-finite doubles as text; byte arrays as hex; anything else (a point, a duration) as its text;
   * text longer than {@link #MAX_TEXT} shortened with its length.
   */
  static Object friendly(Object value) {
    if (value == null || value instanceof Boolean || value instanceof Long) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      return Double.isFinite(number) ? number : Double.toString(number);
    }
    if (value instanceof ZonedDateTime zoned) {
      return zoned.getZone() instanceof ZoneOffset ? zoned.toOffsetDateTime().toString() : zoned.toString();
    }
    if (value instanceof List<?> list) {
      List<Object> elements = new ArrayList<>(list.size());
      list.forEach(element -> elements.add(friendly(element)));
      return elements;
    }
    String text = value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value.toString();
    return text.length() <= MAX_TEXT ? text
        : text.substring(0, MAX_TEXT) + "…(" + text.length() + " chars)";
  }

  /** The named properties as {@link #friendly} values (absent ones left out), by name. */
  static Map<String, Object> friendly(Map<String, Object> properties, Iterable<String> names) {
    Map<String, Object> friendly = new LinkedHashMap<>();
    for (String name : names) {
      Object value = properties.get(name);
      if (value != null) {
        friendly.put(name, friendly(value));
      }
    }
    return friendly;
  }
}
