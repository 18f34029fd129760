package io.graphsync.activities.postgres;

/**
 * PostgreSQL identifiers in SQL text: every table, schema and column name graphsync writes into a statement goes
 * through here, always double-quoted (so mixed case and reserved words keep their meaning, and an embedded
 * {@code "} is doubled). The names come from the validated mapping or the catalog, never from row data; values are
 * always parameters.
 *
 * <p>Not for Cypher: labels and relationship types are quoted by {@link io.graphsync.activities.mapping.Identifiers}.
 */
public final class SqlIdentifiers {

  private SqlIdentifiers() {}

  /** {@code identifier} double-quoted, each {@code "} in it doubled: {@code My"Col} → {@code "My""Col"}. */
  public static String quote(String identifier) {
    if (identifier == null) {
      throw new IllegalArgumentException("no PostgreSQL identifier to quote (null)");
    }
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /**
   * A table as the mapping names it, quoted: {@code schema.table} → {@code "schema"."table"}, a bare {@code table}
   * → {@code "table"}. The first dot separates the schema (a table name may hold further dots, a schema name not).
   */
  public static String qualified(String table) {
    if (table == null) {
      throw new IllegalArgumentException("no PostgreSQL table name to quote (null)");
    }
    int dot = table.indexOf('.');
    return dot < 0 ? quote(table) : quote(table.substring(0, dot)) + "." + quote(table.substring(dot + 1));
  }
}
