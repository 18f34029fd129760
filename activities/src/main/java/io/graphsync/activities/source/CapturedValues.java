package io.graphsync.activities.source;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.geometric.PGpoint;
import org.postgresql.util.HStoreConverter;
import org.postgresql.util.PGInterval;

/**
 * A JDBC column value in the representation the capture gives it (Debezium's PostgreSQL connector with graphsync's
 * settings, then the capture's own normalisation): what {@code ChangeEvent.data} holds for that column.
 *
 * <ul>
 *   <li>int2, int4, int8, float4, float8, bool: {@link Short}, {@link Integer}, {@link Long}, {@link Float},
 *       {@link Double}, {@link Boolean};
 *   <li>numeric: the exact decimal text ({@code decimal.handling.mode=string}: {@code BigDecimal.toPlainString},
 *       which is the text PostgreSQL prints); NaN and ±Infinity as Debezium names them: {@code NAN},
 *       {@code POSITIVE_INFINITY}, {@code NEGATIVE_INFINITY};
 *   <li>timestamptz: ISO-8601 in UTC with {@code Z}, as Debezium's {@code ZonedTimestamp} prints it: the fraction
 *       padded to the column's precision (6 for a plain timestamptz), none for precision 0;
 *   <li>timestamp, date, time: {@link LocalDateTime}, {@link LocalDate}, {@link LocalTime} {@code toString()} (zero
 *       seconds left out, as the capture does);
 *   <li>timetz: {@link OffsetTime#toString()}, the offset kept (the capture cannot carry it: it sends the TOAST
 *       placeholder, and the graph writer fills the value from here);
 *   <li>interval: Debezium's {@code interval.handling.mode=string} text, e.g. {@code P1Y2M3DT4H5M6.5S};
 *   <li>money: the exact amount as decimal text, as Debezium reads it ({@code $1,234.56} → {@code 1234.56});
 *   <li>bytea: base64 without line breaks;
 *   <li>point: {@code {x, y}} (doubles); hstore: its pairs as a map sorted by key;
 *   <li>bit, varbit: their {@code '0'}/{@code '1'} text (the capture's {@code BitStringConverter});
 *   <li>one-dimensional arrays: lists of their elements, each as above;
 *   <li>uuid, json (the stored text), jsonb (as PostgreSQL prints it), xml, inet/cidr/macaddr, ltree, ranges, text
 *       types, enums and every other type: the text PostgreSQL prints.
 * </ul>
 *
 * <p>{@code CapturedRowRereadIT} and {@code ColumnTypesRoundTripIT} (starters) prove this against the capture itself,
 * type by type. Known difference: a numeric array holding NaN, which Debezium cannot read and sends as null (here: the
 * elements, NaN as {@code NAN}). Multi-dimensional arrays are not supported.
 */
final class CapturedValues {

  /** Debezium's names of numeric's special values. */
  private static final Map<String, String> SPECIAL_NUMERICS =
      Map.of("NaN", "NAN", "Infinity", "POSITIVE_INFINITY", "-Infinity", "NEGATIVE_INFINITY");

  private static final Map<Integer, DateTimeFormatter> TIMESTAMPTZ_FORMATS = new ConcurrentHashMap<>();

  private CapturedValues() {}

  /**
   * The type name that {@link #read} expects: PostgreSQL's name of the column's type, unqualified, {@code _name}
   * for arrays (the driver names a type outside the search path {@code "schema"."name"}).
   */
  static String typeName(ResultSetMetaData columns, int index) throws SQLException {
    String name = columns.getColumnTypeName(index);
    int dot = name.lastIndexOf("\".\"");
    if (dot >= 0) {
      name = name.substring(dot + 2);
    }
    if (name.startsWith("\"") && name.endsWith("\"") && name.length() > 1) {
      name = name.substring(1, name.length() - 1);
    }
    if (columns.getColumnType(index) == Types.ARRAY && !name.startsWith("_")) {
      name = "_" + name;
    }
    return name;
  }

  /**
   * The value of column {@code index} of the current row.
   *
   * @param typeName the column's PostgreSQL type name ({@code ResultSetMetaData.getColumnTypeName}: a domain's base
   *     type, {@code _name} for arrays)
   * @param precision the column's fractional-seconds precision for time types ({@code ResultSetMetaData.getScale})
   */
  static Object read(ResultSet row, int index, String typeName, int precision) throws SQLException {
    if (typeName.startsWith("_")) {
      Array array = row.getArray(index);
      if (array == null) {
        return null;
      }
      try {
        return list(array, typeName.substring(1), precision);
      } finally {
        array.free();
      }
    }
    return switch (typeName) {
      case "int2" -> {
        int value = row.getInt(index);
        yield row.wasNull() ? null : (short) value;
      }
      case "int4" -> row.getObject(index, Integer.class);
      case "int8" -> row.getObject(index, Long.class);
      case "float4" -> row.getObject(index, Float.class);
      case "float8" -> row.getObject(index, Double.class);
      case "bool" -> row.getObject(index, Boolean.class);
      case "numeric" -> numeric(row.getString(index));
      case "timestamptz" -> timestamptz(row.getObject(index, OffsetDateTime.class), precision);
      case "timestamp" -> text(row.getObject(index, LocalDateTime.class));
      case "date" -> text(row.getObject(index, LocalDate.class));
      case "time" -> text(row.getObject(index, LocalTime.class));
      case "timetz" -> text(row.getObject(index, OffsetTime.class));
      case "interval" -> interval((PGInterval) row.getObject(index));
      case "bytea" -> base64(row.getBytes(index));
      case "money" -> money(row.getString(index));
      case "point" -> point((PGpoint) row.getObject(index));
      case "hstore" -> hstore(row.getString(index));
      default -> row.getString(index);
    };
  }

  /** Each element as a column of its type: the driver hands them over as a result set of (index, value) rows. */
  private static List<Object> list(Array array, String elementType, int precision) throws SQLException {
    List<Object> list = new ArrayList<>();
    try (ResultSet elements = array.getResultSet()) {
      if (elements.getMetaData().getColumnType(2) == Types.ARRAY) {
        throw new IllegalArgumentException("a multi-dimensional array, which graphsync does not support");
      }
      while (elements.next()) {
        list.add(read(elements, 2, elementType, precision));
      }
    }
    return list;
  }

  private static String numeric(String text) {
    return text == null ? null : SPECIAL_NUMERICS.getOrDefault(text, text);
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static String base64(byte[] bytes) {
    return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
  }

  /** As Debezium's ZonedTimestamp: UTC, the fraction padded to the column's precision (1-9), else ISO-8601. */
  private static String timestamptz(OffsetDateTime value, int precision) {
    if (value == null) {
      return null;
    }
    return value.withOffsetSameInstant(ZoneOffset.UTC).format(timestamptzFormat(precision));
  }

  private static DateTimeFormatter timestamptzFormat(int precision) {
    if (precision <= 0 || precision > 9) {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    }
    return TIMESTAMPTZ_FORMATS.computeIfAbsent(precision, digits -> new DateTimeFormatterBuilder()
        .append(DateTimeFormatter.ISO_LOCAL_DATE)
        .appendLiteral('T')
        .appendValue(ChronoField.HOUR_OF_DAY, 2)
        .appendLiteral(':')
        .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
        .appendLiteral(':')
        .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
        .appendFraction(ChronoField.NANO_OF_SECOND, digits, digits, true)
        .appendOffsetId()
        .toFormatter(Locale.ROOT));
  }

  /**
   * As Debezium reads a money value: PostgreSQL's text without currency symbol and group separators, negative when it
   * starts with '-' or '(', as exact decimal text ({@code $1,234.56} → {@code 1234.56}). Like Debezium it expects '.'
   * as the decimal point ({@code lc_monetary} of an English or C locale).
   */
  static String money(String text) {
    if (text == null) {
      return null;
    }
    String trimmed = text.strip();
    boolean negative = trimmed.startsWith("-") || trimmed.startsWith("(");
    StringBuilder digits = new StringBuilder(negative ? "-" : "");
    for (char c : trimmed.toCharArray()) {
      if (Character.isDigit(c) || c == '.') {
        digits.append(c);
      }
    }
    return new BigDecimal(digits.toString()).toPlainString();
  }

  private static Map<String, Object> point(PGpoint value) {
    if (value == null) {
      return null;
    }
    Map<String, Object> xy = new LinkedHashMap<>();
    xy.put("x", value.x);
    xy.put("y", value.y);
    return xy;
  }

  private static Map<String, Object> hstore(String text) {
    return text == null ? null : new TreeMap<String, Object>(HStoreConverter.fromString(text));
  }

  /** As Debezium's {@code interval.handling.mode=string}: {@code P<y>Y<m>M<d>DT<h>H<m>M<s>S}, seconds exact. */
  private static String interval(PGInterval value) {
    if (value == null) {
      return null;
    }
    BigDecimal seconds = BigDecimal.valueOf(value.getSeconds());
    if (seconds.scale() > 9) {
      seconds = seconds.setScale(9, RoundingMode.DOWN);
    }
    return "P" + value.getYears() + "Y" + value.getMonths() + "M" + value.getDays() + "DT" + value.getHours() + "H"
        + value.getMinutes() + "M" + seconds.stripTrailingZeros().toPlainString() + "S";
  }
}
