package io.graphsync.activities.neo4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.graphsync.workflows.mapping.Conversion;
import io.graphsync.workflows.sync.ChangeEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Converts a row value (as the capture normalised it: JSON-friendly, times as ISO-8601 text, numeric as decimal
 * text, json as JSON text, arrays as lists) into the Neo4j driver value its {@link Conversion} asks for. Null stays
 * null. Anything else throws {@link InvalidValueException} with the reason.
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
      case DATE -> toDate(value);
      case JSON_STRING -> toJsonText(value);
      case LIST -> toList(value);
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
    if (value instanceof Number number && !(value instanceof BigDecimal)) {
      return number.doubleValue();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.doubleValue();
    }
    if (value instanceof CharSequence text) {
      String number = text.toString().strip();
      if (SPECIAL_NUMBERS.contains(number)) {
        return Double.valueOf(number);
      }
      return parseDecimal(number).doubleValue();
    }
    throw new InvalidValueException("not a number");
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
      String number = text.toString().strip();
      if (!SPECIAL_NUMBERS.contains(number)) {
        parseDecimal(number);
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

  /** JSON text is checked and kept as it is; maps, lists and scalars are serialised. */
  private static String toJsonText(Object value) {
    try {
      if (value instanceof CharSequence text) {
        JSON.readTree(text.toString());
        return text.toString();
      }
      if (value instanceof Map<?, ?> || value instanceof List<?> || value instanceof Number
          || value instanceof Boolean) {
        return JSON.writeValueAsString(value);
      }
    } catch (JsonProcessingException e) {
      throw new InvalidValueException("not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
    throw new InvalidValueException("not JSON text, a map or a list");
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
    if (element instanceof Double || element instanceof Float) {
      return ((Number) element).doubleValue();
    }
    if (element instanceof Boolean) {
      return element;
    }
    throw new InvalidValueException("a list with a " + element.getClass().getSimpleName()
        + " element (only text, numbers and booleans)");
  }
}
