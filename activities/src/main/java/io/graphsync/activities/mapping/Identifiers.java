package io.graphsync.activities.mapping;

import java.util.regex.Pattern;

/**
 * Labels and relationship types: plain identifiers chosen in the mapping, never taken from row data, so they can be
 * written into Cypher text (backtick-quoted) while every value goes in as a parameter.
 */
public final class Identifiers {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Identifiers() {}

  /** Whether {@code name} matches {@code [A-Za-z_][A-Za-z0-9_]*}. */
  public static boolean isValid(String name) {
    return name != null && IDENTIFIER.matcher(name).matches();
  }

  /** {@code name} in backticks, for Cypher text; rejects anything that is not a valid identifier. */
  public static String quote(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException("not a valid label or relationship type: '" + name + "'");
    }
    return "`" + name + "`";
  }
}
