package io.graphsync.workflows.sync;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The text form of a row's key in {@link ChangeEvent#entityId()}, workflow ids and tombstones: one key column's value
 * as text, or the values of a composite key (a join table's {@code from} and {@code to}) joined with
 * {@link #SEPARATOR}. The one place that knows the separator; the capture, the re-read, reconciliation and the graph
 * writer all build and split keys here.
 */
public final class EntityKey {

  /** Separates the parts of a composite key. */
  public static final String SEPARATOR = "|";

  private static final Pattern SPLIT = Pattern.compile(Pattern.quote(SEPARATOR));

  private EntityKey() {}

  /** The key text of these parts, in column order. */
  public static String of(List<String> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a key has at least one part");
    }
    parts.forEach(part -> Objects.requireNonNull(part, "a key part"));
    return String.join(SEPARATOR, parts);
  }

  /** The key text of a join row. */
  public static String join(String fromId, String toId) {
    return of(List.of(fromId, toId));
  }

  /** The parts of a key text (one for a single-column key); empty parts are kept. */
  public static List<String> parts(String key) {
    return List.of(SPLIT.split(key, -1));
  }

  /**
   * The parts of a key text, when it has exactly {@code expected} of them; empty parts are kept (an empty string is
   * a key value like any other, PostgreSQL decides whether it fits the column).
   *
   * @throws IllegalArgumentException when the key does not have {@code expected} parts
   */
  public static List<String> split(String key, int expected) {
    List<String> parts = parts(key);
    if (parts.size() != expected) {
      throw new IllegalArgumentException("key '" + key + "' is not " + expected + " values joined with '"
          + SEPARATOR + "'");
    }
    return parts;
  }
}
