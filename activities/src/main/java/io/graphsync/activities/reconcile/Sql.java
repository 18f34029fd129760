package io.graphsync.activities.reconcile;

import static io.graphsync.activities.postgres.SqlIdentifiers.quote;

import io.graphsync.activities.postgres.Catalog;
import io.graphsync.activities.source.SourceRowReader;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/** SQL text from the validated mapping's identifiers (always quoted) and the catalog's type names. */
final class Sql {

  private Sql() {}


  /** Column → its type as PostgreSQL prints it ({@code format_type}, e.g. {@code uuid}, {@code bigint}). */
  static Map<String, String> columnTypes(Connection connection, String table, List<String> columns)
      throws SQLException {
    Map<String, String> all = Catalog.columnTypeNames(connection, table);
    Map<String, String> types = new HashMap<>();
    for (String column : columns) {
      String type = all.get(column);
      if (type == null) {
        throw new IllegalStateException("column " + column + " of table " + table + " not found in PostgreSQL");
      }
      types.put(column, type);
    }
    return types;
  }

  /**
   * A key column in text order. A uuid's text order is its byte order, so uuid keys are compared and sorted natively
   * (the primary-key index serves the pages); any other type is sorted as {@code ::text COLLATE "C"}, the order of
   * the graph's text {@code id}.
   *
   * <p>Keys from the graph are data like any other: a node made by hand may carry an id that is no value of the
   * column ({@code 'orphan-1'} for a uuid key). {@link #problem} tells such keys apart in Java, by the column's catalog
   * type, before anything is bound; lookups bind only valid keys ({@link #in()}), and a cursor that is no valid key
   * is compared as text ({@link #after}), so no graph value ever reaches a cast that can fail.
   */
  record KeyColumn(String column, String type) {

    private static final Pattern UUID_TEXT =
        Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern INTEGER_TEXT = Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final Map<String, BigInteger[]> INTEGER_RANGES = Map.of(
        "smallint", new BigInteger[] {BigInteger.valueOf(Short.MIN_VALUE), BigInteger.valueOf(Short.MAX_VALUE)},
        "integer", new BigInteger[] {BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE)},
        "bigint", new BigInteger[] {BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)});

    boolean isNative() {
      return type.equals("uuid");
    }

    private boolean isInteger() {
      return INTEGER_RANGES.containsKey(type);
    }

    private boolean isText() {
      return type.equals("text") || type.startsWith("character varying");
    }

    String orderBy() {
      return isNative() ? quote(column) : quote(column) + "::text COLLATE \"C\"";
    }

    /**
     * Why {@code key} cannot be a key of this column as the capture writes it (the value's text form), or null when it
     * can. Decided in Java for uuid and integer columns (a uuid in its lower-case form; an integer without sign or
     * leading zeros, in the type's range); keys of other types are compared as text, where any text is harmless. No
     * key contains a NUL character (PostgreSQL text cannot hold one).
     */
    String problem(String key) {
      if (key.indexOf('\u0000') >= 0) {
        return "contains a NUL character";
      }
      if (isNative() && !UUID_TEXT.matcher(key).matches()) {
        return "not a uuid in its text form";
      }
      if (isInteger()) {
        BigInteger[] range = INTEGER_RANGES.get(type);
        if (!INTEGER_TEXT.matcher(key).matches() || key.equals("-0")) {
          return "not an integer in its text form";
        }
        if (key.length() > 20 || new BigInteger(key).compareTo(range[0]) < 0
            || new BigInteger(key).compareTo(range[1]) > 0) {
          return "out of the range of " + type;
        }
      }
      return null;
    }

    boolean accepts(String key) {
      return problem(key) == null;
    }

    /**
     * The left and right side of "this column after {@code key}" in {@link #orderBy()}'s order, with the parameter to
     * bind: natively for a valid uuid, else as text ({@code COLLATE "C"}, the same order for uuids).
     */
    Bound after(String key) {
      if (isNative() && accepts(key)) {
        return new Bound(quote(column), "CAST(? AS uuid)", key);
      }
      int nul = key.indexOf('\u0000');
      // no key holds a NUL: "after 'ab<NUL>c'" is "after 'ab'"
      return new Bound(quote(column) + "::text COLLATE \"C\"", "?", nul < 0 ? key : key.substring(0, nul));
    }

    /** The column as compared with a text array of (valid) keys: natively for uuid and integers, else as text. */
    String compared() {
      return isNative() || isInteger() || isText() ? quote(column) : quote(column) + "::text";
    }

    /** The array element type the keys are bound as, matching {@link #compared()}. */
    String arrayType() {
      return isNative() || isInteger() ? type : "text";
    }

    /** {@code column = ANY(?)} for an array of keys that {@link #accepts} all. */
    String in() {
      return compared() + " = ANY(CAST(? AS " + arrayType() + "[]))";
    }
  }

  /** One side of a key comparison: {@code expression > placeholder}, {@code parameter} bound to the placeholder. */
  record Bound(String expression, String placeholder, Object parameter) {}

  /**
   * Runs a SELECT of mapped columns and returns its rows in the capture's representation
   * ({@link SourceRowReader#row}), each with the key {@code keyOf} gives it.
   */
  static List<ComparedTable.Row> rows(Connection connection, String sql, List<Object> parameters,
      Function<Map<String, Object>, String> keyOf) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        statement.setObject(i + 1, parameters.get(i));
      }
      statement.setFetchSize(1000);
      List<ComparedTable.Row> rows = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          Map<String, Object> values = SourceRowReader.row(result);
          rows.add(new ComparedTable.Row(keyOf.apply(values), values));
        }
      }
      return rows;
    }
  }
}
