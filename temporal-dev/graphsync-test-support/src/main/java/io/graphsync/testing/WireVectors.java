package io.graphsync.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The wire form of a row's columns, pinned once ({@code wire-vectors.tsv} beside this class): for a value of each
 * PostgreSQL type, what the capture and the re-read must both put into {@code ChangeEvent.data}. A test creates the
 * vectors' table with {@link #createTable}, inserts the row with {@link #insertRow} and compares what a producer gave
 * with {@link #describe} against {@link Vector#wire}.
 */
public final class WireVectors {

  /** The enum and domain types the vectors' columns use, in the schema {@code vectors}. */
  public static final String TYPES = """
      CREATE SCHEMA IF NOT EXISTS vectors;
      DO $$ BEGIN
        CREATE TYPE vectors.mood AS ENUM ('happy', 'sad');
      EXCEPTION WHEN duplicate_object THEN NULL; END $$;
      DO $$ BEGIN
        CREATE DOMAIN vectors.short_text AS varchar(20);
      EXCEPTION WHEN duplicate_object THEN NULL; END $$;
      """;

  /**
   * One vector.
   *
   * @param placeholder the capture cannot send this value and sends {@code ChangeEvent.UNAVAILABLE_VALUE} instead
   */
  public record Vector(String column, String type, String literal, String wire, boolean placeholder) {}

  private static final List<Vector> VECTORS = load();

  private WireVectors() {}

  public static List<Vector> all() {
    return VECTORS;
  }

  /** {@link #TYPES}, then {@code CREATE TABLE <table>} with one column per vector (the first is the key). */
  public static String createTable(String table) {
    return TYPES + "CREATE TABLE IF NOT EXISTS " + table + " ("
        + VECTORS.stream().map(v -> v.column() + " " + v.type()).collect(Collectors.joining(", ")) + ");\n";
  }

  /** The INSERT of the vectors' row. */
  public static String insertRow(String table) {
    return "INSERT INTO " + table + " (" + VECTORS.stream().map(Vector::column).collect(Collectors.joining(", "))
        + ") VALUES (" + VECTORS.stream().map(Vector::literal).collect(Collectors.joining(", ")) + ")";
  }

  /** The key of the vectors' row (the first vector's value). */
  public static String key() {
    return VECTORS.get(0).literal();
  }

  /** A value in the vectors' notation: with the Java types of it and its elements, so 1 (Short) and 1 (Long) differ. */
  public static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof List<?> list) {
      return list.stream().map(WireVectors::describe).toList().toString();
    }
    return value + " (" + value.getClass().getSimpleName() + ")";
  }

  /** The columns of a row in the vectors' notation, for comparing a whole row at once. */
  public static Map<String, String> describeRow(Map<String, ?> row) {
    Map<String, String> described = new LinkedHashMap<>();
    row.forEach((column, value) -> described.put(column, describe(value)));
    return described;
  }

  private static List<Vector> load() {
    try (InputStream in = WireVectors.class.getResourceAsStream("wire-vectors.tsv")) {
      if (in == null) {
        throw new IllegalStateException("wire-vectors.tsv is missing beside " + WireVectors.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .map(WireVectors::parse)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Vector parse(String line) {
    String[] fields = line.split("\t", -1);
    if (fields.length < 4 || fields.length > 5 || fields.length == 5 && !"placeholder".equals(fields[4])) {
      throw new IllegalStateException("wire-vectors.tsv: expected column, type, literal, wire value and an optional "
          + "'placeholder', tab-separated, in: " + line);
    }
    return new Vector(fields[0], fields[1], fields[2], fields[3], fields.length == 5);
  }
}
