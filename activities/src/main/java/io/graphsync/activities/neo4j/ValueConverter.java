package io.graphsync.activities.neo4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.graphsync.workflows.mapping.Conversion;
import io.graphsync.workflows.sync.ChangeEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neo4j.driver.Values;
import org.neo4j.driver.types.IsoDuration;
import org.neo4j.driver.types.Point;

/**
 * Converts a row value (as the capture normalised it: JSON-friendly, times as ISO-8601 text, numeric as decimal
 * text, interval as ISO-8601 duration text, bytea as base64, point as {@code {x, y}}, json as JSON text, hstore as a
 * map, arrays as lists) into the Neo4j driver value its {@link Conversion} asks for. Null stays null. Anything else
 * throws {@link InvalidValueException} with the reason. The type table is in docs/sync.md.
 */
final class ValueConverter {

  /** ISO-8601 date-time, 'T' or ' ' between date and time, optional offset (+05:30, +0530, +05, Z) and region. */
  private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart().appendLiteral(' ').optionalEnd()
      .append(DateTimeFormatter.ISO_LOCAL_TIME)
      .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHmm", "Z").optionalEnd()
      .optionalStart().appendLiteral('[').parseCaseSensitive().appendZoneRegionId().appendLiteral(']').optionalEnd()
      .toFormatter(Locale.ROOT)
      .withResolverStyle(ResolverStyle.STRICT)
      .withChronology(IsoChronology.INSTANCE);

  private static final Set<String> SPECIAL_NUMBERS = Set.of("NaN", "Infinity", "-Infinity");

  /** Debezium's names of numeric's special values ({@code decimal.handling.mode=string}) → PostgreSQL's. */
  private static final Map<String, String> DEBEZIUM_SPECIAL_NUMBERS =
      Map.of("NAN", "NaN", "POSITIVE_INFINITY", "Infinity", "NEGATIVE_INFINITY", "-Infinity");

  /** Neo4j's cartesian 2D coordinate reference system: a PostgreSQL point has no SRID. */
  static final int CARTESIAN = 7203;

  /** Debezium's {@code interval.handling.mode=string}: {@code P<y>Y<m>M<d>DT<h>H<m>M<s>S}, each part signed. */
  private static final Pattern INTERVAL = Pattern.compile(
      "P(-?\\d+)Y(-?\\d+)M(-?\\d+)DT(-?\\d+)H(-?\\d+)M(-?\\d+(?:\\.\\d+)?)S");

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private ValueConverter() {}

  /** Whether the value is the placeholder of an unchanged TOASTed column (alone, or as a one-element list). */
  static boolean isUnavailable(Object value) {
    if (ChangeEvent.UNAVAILABLE_VALUE.equals(value)) {
      return true;
    }
    return value instanceof List<?> list && list.size() == 1 && ChangeEvent.UNAVAILABLE_VALUE.equals(list.get(0));
  }

  /** A key or foreign-key value as the text that becomes {@code id}: uuid, text and integers. */
  static String keyText(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof CharSequence || value instanceof UUID) {
      String text = value.toString();
      if (text.isEmpty()) {
        throw new InvalidValueException("a key cannot be empty");
      }
      return text;
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof BigInteger) {
      return value.toString();
    }
    throw new InvalidValueException("a key must be text, a uuid or an integer");
  }

  static Object convert(Object value, Conversion conversion) {
    if (value == null) {
      return null;
    }
    return switch (conversion) {
      case STRING -> toText(value);
      case LONG -> toLong(value);
      case DOUBLE -> toDouble(value);
      case DECIMAL_STRING -> toDecimalText(value);
      case BOOLEAN -> toBoolean(value);
      case DATETIME -> toDateTime(value);
      case LOCAL_DATETIME -> toLocalDateTime(value);
      case DATE -> toDate(value);
      case TIME -> toTime(value);
      case TIME_WITH_OFFSET -> toTimeWithOffset(value);
      case DURATION -> toDuration(value);
      case POINT -> toPoint(value);
      case BYTES -> toBytes(value);
      case JSON_STRING -> toJsonText(value);
      case LIST -> toListOrJson(value, false);
      case FLOAT_LIST -> toListOrJson(value, true);
    };
  }

  private static String toText(Object value) {
    if (value instanceof CharSequence || value instanceof UUID || value instanceof Number
        || value instanceof Boolean || value instanceof Temporal) {
      return value.toString();
    }
    throw new InvalidValueException("not a scalar");
  }

  private static Long toLong(Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    try {
      if (value instanceof BigInteger big) {
        return big.longValueExact();
      }
      if (value instanceof BigDecimal decimal) {
        return decimal.longValueExact();
      }
      if (value instanceof Double || value instanceof Float) {
        return new BigDecimal(value.toString()).longValueExact();
      }
      if (value instanceof CharSequence text) {
        return Long.parseLong(text.toString().strip());
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new InvalidValueException("not an integer in the range of a long", e);
    }
    throw new InvalidValueException("not an integer");
  }

  private static Double toDouble(Object value) {
    if (value instanceof Float number) {
      return floatAsDouble(number);
    }
    if (value instanceof Number number && !(value instanceof BigDecimal)) {
      return number.doubleValue();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.doubleValue();
    }
    if (value instanceof CharSequence text) {
      String number = special(text.toString().strip());
      if (SPECIAL_NUMBERS.contains(number)) {
        return Double.valueOf(number);
      }
      return parseDecimal(number).doubleValue();
    }
    throw new InvalidValueException("not a number");
  }

  /**
   * A float4 as the double of its shortest decimal text: what it becomes after the JSON round trip of a workflow
   * input, so a value written from a captured event equals the same value converted straight from a re-read row.
   */
  private static double floatAsDouble(Float value) {
    return value.isNaN() || value.isInfinite() ? value.doubleValue() : Double.parseDouble(value.toString());
  }

  /** PostgreSQL's name of a special numeric value for Debezium's name of it; other text as it is. */
  private static String special(String number) {
    return DEBEZIUM_SPECIAL_NUMBERS.getOrDefault(number, number);
  }

  private static String toDecimalText(Object value) {
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof BigInteger) {
      return value.toString();
    }
    if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (Double.isNaN(number) || Double.isInfinite(number)) {
        return Double.toString(number);
      }
      return new BigDecimal(value.toString()).toPlainString();
    }
    if (value instanceof CharSequence text) {
      String number = special(text.toString().strip());
      if (!SPECIAL_NUMBERS.contains(number)) {
        BigDecimal decimal = parseDecimal(number);
        // plain decimal text, also for a value given in exponent form: 1.23456789E7 → 12345678.9
        return number.indexOf('E') >= 0 || number.indexOf('e') >= 0 ? decimal.toPlainString() : number;
      }
      return number;
    }
    throw new InvalidValueException("not a decimal number");
  }

  private static BigDecimal parseDecimal(String text) {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new InvalidValueException("not a decimal number", e);
    }
  }

  private static Boolean toBoolean(Object value) {
    if (value instanceof Boolean bool) {
      return bool;
    }
    if (value instanceof CharSequence text) {
      switch (text.toString().strip().toLowerCase(Locale.ROOT)) {
        case "true", "t" -> {
          return Boolean.TRUE;
        }
        case "false", "f" -> {
          return Boolean.FALSE;
        }
        default -> throw new InvalidValueException("not a boolean (true, false, t, f)");
      }
    }
    throw new InvalidValueException("not a boolean");
  }

  /** With an offset: an OffsetDateTime; with a region: a ZonedDateTime; without a zone: a LocalDateTime. */
  private static Temporal toDateTime(Object value) {
    if (value instanceof OffsetDateTime || value instanceof ZonedDateTime || value instanceof LocalDateTime) {
      return (Temporal) value;
    }
    if (value instanceof Instant instant) {
      return instant.atOffset(ZoneOffset.UTC);
    }
    if (!(value instanceof CharSequence text)) {
      throw new InvalidValueException("not an ISO-8601 date-time text");
    }
    try {
      TemporalAccessor parsed = DATE_TIME.parseBest(text.toString().strip(), ZonedDateTime::from,
          LocalDateTime::from);
      if (parsed instanceof ZonedDateTime zoned) {
        return zoned.getZone() instanceof ZoneOffset ? zoned.toOffsetDateTime() : zoned;
      }
      return (LocalDateTime) parsed;
    } catch (DateTimeParseException e) {
      throw new InvalidValueException("not an ISO-8601 date-time (" + e.getMessage() + ")", e);
    }
  }

  private static LocalDate toDate(Object value) {
    if (value instanceof LocalDate date) {
      return date;
    }
    if (!(value instanceof CharSequence text)) {
      throw new InvalidValueException("not an ISO-8601 date text");
    }
    try {
      return LocalDate.parse(text.toString().strip());
    } catch (DateTimeParseException e) {
      throw new InvalidValueException("not an ISO-8601 date (" + e.getMessage() + ")", e);
    }
  }

  /** timestamp: a LocalDateTime; a text with an offset or zone is refused (that is a timestamptz). */
  private static LocalDateTime toLocalDateTime(Object value) {
    Temporal parsed = toDateTime(value);
    if (parsed instanceof LocalDateTime local) {
      return local;
    }
    throw new InvalidValueException("a date-time with an offset or zone, where a local date-time is expected");
  }

  /** time: ISO-8601 local time text ({@code LocalTime.toString}). */
  private static LocalTime toTime(Object value) {
    if (value instanceof LocalTime time) {
      return time;
    }
    if (!(value instanceof CharSequence text)) {
      throw new InvalidValueException("not an ISO-8601 time text");
    }
    try {
      return LocalTime.parse(text.toString().strip());
    } catch (DateTimeParseException e) {
      throw new InvalidValueException("not an ISO-8601 time (" + e.getMessage() + ")", e);
    }
  }

  /** timetz: ISO-8601 time with offset ({@code OffsetTime.toString}), the offset kept. */
  private static OffsetTime toTimeWithOffset(Object value) {
    if (value instanceof OffsetTime time) {
      return time;
    }
    if (!(value instanceof CharSequence text)) {
      throw new InvalidValueException("not an ISO-8601 time-with-offset text");
    }
    try {
      return OffsetTime.parse(text.toString().strip());
    } catch (DateTimeParseException e) {
      throw new InvalidValueException("not an ISO-8601 time with offset (" + e.getMessage() + ")", e);
    }
  }

  /**
   * interval: Debezium's ISO-8601 text ({@code P1Y2M3DT4H5M6.78S}, each part signed, as PostgreSQL keeps them) into
   * a Neo4j Duration of months (years × 12 + months), days, and seconds with nanoseconds (hours, minutes, seconds);
   * microseconds are exact.
   */
  private static IsoDuration toDuration(Object value) {
    if (value instanceof IsoDuration duration) {
      return duration;
    }
    if (!(value instanceof CharSequence text)) {
      throw new InvalidValueException("not an ISO-8601 interval text");
    }
    Matcher parts = INTERVAL.matcher(text.toString().strip());
    if (!parts.matches()) {
      throw new InvalidValueException("not an interval in the form P<y>Y<m>M<d>DT<h>H<m>M<s>S");
    }
    try {
      long months = Math.addExact(Math.multiplyExact(Long.parseLong(parts.group(1)), 12L),
          Long.parseLong(parts.group(2)));
      long days = Long.parseLong(parts.group(3));
      BigDecimal seconds = new BigDecimal(parts.group(6))
          .add(BigDecimal.valueOf(Long.parseLong(parts.group(4))).multiply(BigDecimal.valueOf(3600)))
          .add(BigDecimal.valueOf(Long.parseLong(parts.group(5))).multiply(BigDecimal.valueOf(60)));
      BigDecimal wholeSeconds = seconds.setScale(0, RoundingMode.FLOOR);
      int nanos = seconds.subtract(wholeSeconds).movePointRight(9).intValueExact();
      return Values.isoDuration(months, days, wholeSeconds.longValueExact(), nanos).asIsoDuration();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new InvalidValueException("an interval out of range (" + e.getMessage() + ")", e);
    }
  }

  /** point: {@code {x, y}} (numbers, or NaN/Infinity as text after a JSON round trip) into a cartesian Point. */
  private static Point toPoint(Object value) {
    if (value instanceof Point point) {
      return point;
    }
    if (value instanceof Map<?, ?> map && map.get("x") != null && map.get("y") != null) {
      return Values.point(CARTESIAN, toDouble(map.get("x")), toDouble(map.get("y"))).asPoint();
    }
    throw new InvalidValueException("not a point ({x, y})");
  }

  /** bytea: base64 text (as the capture carries it) into a byte array. */
  private static byte[] toBytes(Object value) {
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    if (!(value instanceof CharSequence text)) {
      throw new InvalidValueException("not base64 text");
    }
    try {
      return Base64.getDecoder().decode(text.toString());
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException("not base64 text (" + e.getMessage() + ")", e);
    }
  }

  /** JSON text is checked and kept as it is; maps, lists and scalars are serialised. */
  private static String toJsonText(Object value) {
    try {
      if (value instanceof CharSequence text) {
        JSON.readTree(text.toString());
        return text.toString();
      }
      if (value instanceof Map<?, ?> map) {
        // an hstore (or any object): keys sorted, so the text does not depend on where the map came from
        return JSON.writeValueAsString(new TreeMap<>(map));
      }
      if (value instanceof List<?> || value instanceof Number || value instanceof Boolean) {
        return JSON.writeValueAsString(value);
      }
    } catch (JsonProcessingException e) {
      throw new InvalidValueException("not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
    throw new InvalidValueException("not JSON text, a map or a list");
  }

  /**
   * An array: a Neo4j list, or its JSON text when it holds a NULL element (Neo4j lists cannot hold null, and dropping
   * the element would shift the others).
   */
  private static Object toListOrJson(Object value, boolean floats) {
    if (value instanceof List<?> list && list.stream().anyMatch(Objects::isNull)) {
      try {
        return JSON.writeValueAsString(list.stream()
            .map(element -> floats && element != null ? jsonElement(floatElement(element)) : jsonElement(element))
            .toList());
      } catch (JsonProcessingException e) {
        throw new InvalidValueException("an array that cannot be written as JSON (" + e.getOriginalMessage() + ")", e);
      }
    }
    if (floats) {
      if (!(value instanceof List<?> list)) {
        throw new InvalidValueException("not a list");
      }
      return list.stream().map(ValueConverter::floatElement).toList();
    }
    return toList(value);
  }

  /** A float array's element: a number, or NaN/±Infinity as the text a JSON round trip makes of them. */
  private static Double floatElement(Object element) {
    if (element instanceof Number || element instanceof CharSequence) {
      return toDouble(element);
    }
    throw new InvalidValueException("a float list with a " + element.getClass().getSimpleName() + " element");
  }

  /** An array element for its JSON text: numbers and booleans as such, null as null, the rest as text. */
  private static Object jsonElement(Object element) {
    if (element == null) {
      return null;
    }
    if (element instanceof Float number) {
      return number.isNaN() || number.isInfinite() ? number.toString() : floatAsDouble(number);
    }
    if (element instanceof Double number) {
      return number.isNaN() || number.isInfinite() ? number.toString() : number;
    }
    return listElement(element);
  }

  /** A list of scalars of one kind (text, integer, float, boolean); no nulls, no nesting: what Neo4j can store. */
  private static List<Object> toList(Object value) {
    if (!(value instanceof List<?> list)) {
      throw new InvalidValueException("not a list");
    }
    List<Object> elements = new ArrayList<>(list.size());
    Class<?> kind = null;
    for (Object element : list) {
      Object converted = listElement(element);
      if (kind != null && converted.getClass() != kind) {
        throw new InvalidValueException("a list mixing " + kind.getSimpleName() + " and "
            + converted.getClass().getSimpleName() + " elements (Neo4j lists hold one type)");
      }
      kind = converted.getClass();
      elements.add(converted);
    }
    return elements;
  }

  private static Object listElement(Object element) {
    if (element == null) {
      throw new InvalidValueException("a list with a null element (Neo4j lists cannot hold null)");
    }
    if (element instanceof CharSequence || element instanceof UUID || element instanceof BigDecimal) {
      return element instanceof BigDecimal decimal ? decimal.toPlainString() : element.toString();
    }
    if (element instanceof Long || element instanceof Integer || element instanceof Short
        || element instanceof Byte || element instanceof BigInteger) {
      return toLong(element);
    }
    if (element instanceof Float number) {
      return floatAsDouble(number);
    }
    if (element instanceof Double number) {
      return number;
    }
    if (element instanceof Boolean) {
      return element;
    }
    throw new InvalidValueException("a list with a " + element.getClass().getSimpleName()
        + " element (only text, numbers and booleans)");
  }
}
