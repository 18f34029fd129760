package io.graphsync.activities.schema;

import static io.graphsync.activities.postgres.SqlIdentifiers.qualified;
import static io.graphsync.activities.postgres.SqlIdentifiers.quote;

import io.graphsync.activities.mapping.MappedColumn;
import io.graphsync.activities.mapping.MappedColumns;
import io.graphsync.activities.postgres.SqlIdentifiers;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The object privileges of graphsync's least-privilege roles, derived from the mapping: what the runtime role (the
 * activities) and the capture role need on the mapped tables and on graphsync's own tables, and nothing more. Run
 * as the role that owns those objects (the migrating role), after the migrations; see docs/security.md.
 *
 * <ul>
 *   <li><b>runtime</b>: {@code SELECT} on every mapped table; {@code UPDATE} of the bookkeeping columns
 *       ({@link #BOOKKEEPING_COLUMNS}) of entity tables; {@code UPDATE} of the mapped property columns only of the
 *       {@linkplain Roles#writableTables() writable tables} (KEEP_NEO4J decisions, declared Neo4j → PostgreSQL
 *       cases);
 *       on a join table {@code UPDATE} of its property columns, or else of its from-column, only because PostgreSQL
 *       lets {@code SELECT … FOR SHARE} (which the backfill and the re-reads lock with) lock rows only with
 *       {@code UPDATE} on some column; read and write of the reconciliation and audit tables; read and delete
 *       (retention) of {@code graphsync.capture_rejects}.</li>
 *   <li><b>capture</b>: {@code SELECT} on every mapped table; read and write of its offset table; insert into
 *       {@code graphsync.capture_rejects}. Its publication is kept through the tables' owner role
 *       ({@code SET ROLE}), not by a grant.</li>
 * </ul>
 *
 * <p>{@code GRANT} is idempotent, and PostgreSQL only warns when the granting role may not grant, so every privilege
 * is checked afterwards ({@code has_table_privilege}, {@code has_column_privilege}); a missing one stops the start
 * with the statements the tables' owner has to run.
 */
public final class RoleGrants {

  /** The columns the write-back of a sync writes: the sync columns but {@code pg_version}. */
  public static final List<String> BOOKKEEPING_COLUMNS = GraphMapping.SYNC_COLUMNS.stream()
      .filter(c -> !c.equals("pg_version")).toList();

  /** graphsync's own tables the activities write (reconciliation, the conflict audit). */
  static final List<String> RUNTIME_TABLES = List.of(
      "graphsync.reconciliation_run", "graphsync.reconciliation_finding", "graphsync.conflict_audit");

  static final String REJECTS_TABLE = "graphsync.capture_rejects";

  /**
   * Who gets what.
   *
   * @param runtimeRole the role of the activities ({@code spring.datasource.username}); null: none
   * @param captureRole the role of the capture; null: none
   * @param offsetTable the capture's offset table
   * @param writableTables the mapped entity and join tables whose mapped property columns the runtime role may
   *     update; {@code *} for all of them
   */
  public record Roles(String runtimeRole, String captureRole, String offsetTable, Set<String> writableTables) {
    public Roles {
      Objects.requireNonNull(offsetTable, "offsetTable");
      writableTables = writableTables == null ? Set.of() : Set.copyOf(writableTables);
    }

    boolean writable(String table) {
      return writableTables.contains("*") || writableTables.contains(table);
    }
  }

  /** One privilege: the statement that grants it and the query that is true when the role has it. */
  record Grant(String statement, String check) {}

  private RoleGrants() {}

  /** The {@code GRANT} statements for a resolved mapping, in order. */
  public static List<String> statements(GraphMapping mapping, Roles roles) {
    return grants(mapping, roles).stream().map(Grant::statement).distinct().toList();
  }

  /**
   * Grants the privileges as the data source's role, then checks them all.
   *
   * @return the statements run
   * @throws IllegalStateException naming the statements still to run (by the tables' owner) when a privilege is
   *     missing afterwards
   */
  public static List<String> apply(DataSource dataSource, GraphMapping mapping, Roles roles) {
    List<Grant> grants = grants(mapping, roles);
    Set<String> missing = new LinkedHashSet<>();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      Set<String> run = new LinkedHashSet<>();
      for (Grant grant : grants) {
        if (run.add(grant.statement())) {
          try (Statement statement = c.createStatement()) {
            statement.execute(grant.statement());
          } catch (SQLException e) {
            missing.add(grant.statement() + ";  -- " + e.getMessage());
          }
        }
      }
      for (Grant grant : grants) {
        try (PreparedStatement check = c.prepareStatement(grant.check());
             ResultSet result = check.executeQuery()) {
          if (!(result.next() && result.getBoolean(1))) {
            missing.add(grant.statement() + ";");
          }
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("the PostgreSQL roles of graphsync lack privileges that the migrating role "
            + "could not grant (it does not own those objects); have their owner run:\n  "
            + String.join("\n  ", missing));
      }
      return List.copyOf(run);
    } catch (SQLException e) {
      throw new IllegalStateException("granting graphsync's roles their privileges failed: " + e.getMessage(), e);
    }
  }

  private static List<Grant> grants(GraphMapping mapping, Roles roles) {
    List<Grant> grants = new ArrayList<>();
    String runtime = roles.runtimeRole();
    String capture = roles.captureRole();
    for (String role : new String[] {runtime, capture}) {
      if (role != null) {
        grants.add(new Grant("GRANT USAGE ON SCHEMA graphsync TO " + quote(role),
            "SELECT has_schema_privilege(" + literal(role) + ", 'graphsync', 'USAGE')"));
      }
    }
    if (runtime != null) {
      for (String table : RUNTIME_TABLES) {
        grants.add(tableGrant(runtime, table, "SELECT, INSERT, UPDATE, DELETE"));
      }
      // retention deletes old rejects; operators read them through the runtime role's tools
      grants.add(tableGrant(runtime, REJECTS_TABLE, "SELECT, DELETE"));
      grants.add(new Grant("GRANT USAGE ON ALL SEQUENCES IN SCHEMA graphsync TO " + quote(runtime),
          "SELECT has_sequence_privilege(" + literal(runtime) + ", 'graphsync.reconciliation_run_id_seq', 'USAGE')"));
    }
    if (capture != null) {
      grants.add(tableGrant(capture, roles.offsetTable(), "SELECT, INSERT, UPDATE, DELETE"));
      grants.add(tableGrant(capture, REJECTS_TABLE, "SELECT, INSERT"));
      grants.add(new Grant("GRANT USAGE ON SEQUENCE graphsync.capture_rejects_id_seq TO " + quote(capture),
          "SELECT has_sequence_privilege(" + literal(capture) + ", 'graphsync.capture_rejects_id_seq', 'USAGE')"));
    }
    for (TableMapping table : mapping.tables()) {
      for (String role : new String[] {runtime, capture}) {
        if (role != null) {
          grants.add(tableGrant(role, table.table(), "SELECT"));
        }
      }
      if (runtime != null) {
        grants.add(columnGrant(runtime, table.table(), BOOKKEEPING_COLUMNS));
        if (roles.writable(table.table())) {
          List<String> properties = MappedColumns.of(table).stream().map(MappedColumn::column).toList();
          if (!properties.isEmpty()) {
            grants.add(columnGrant(runtime, table.table(), properties));
          }
        }
      }
    }
    for (JoinTableMapping join : mapping.joinTables()) {
      for (String role : new String[] {runtime, capture}) {
        if (role != null) {
          grants.add(tableGrant(role, join.table(), "SELECT"));
        }
      }
      if (runtime != null) {
        // FOR SHARE needs UPDATE on some column; the property columns are the least harmful, else the from-column
        grants.add(columnGrant(runtime, join.table(),
            join.properties().isEmpty() ? List.of(join.fromColumn()) : join.properties()));
      }
    }
    return grants;
  }

  private static Grant tableGrant(String role, String table, String privileges) {
    // has_table_privilege with a list is true when any one is held: check each
    List<String> checks = Arrays.stream(privileges.split(","))
        .map(p -> "has_table_privilege(" + literal(role) + ", " + literal(qualified(table)) + ", '" + p.strip() + "')")
        .toList();
    return new Grant("GRANT " + privileges + " ON " + qualified(table) + " TO " + quote(role),
        "SELECT " + String.join(" AND ", checks));
  }

  private static Grant columnGrant(String role, String table, List<String> columns) {
    List<String> quoted = columns.stream().map(SqlIdentifiers::quote).toList();
    List<String> checks = columns.stream()
        .map(c -> "has_column_privilege(" + literal(role) + ", " + literal(qualified(table)) + ", " + literal(c)
            + ", 'UPDATE')")
        .toList();
    return new Grant("GRANT UPDATE (" + String.join(", ", quoted) + ") ON " + qualified(table) + " TO " + quote(role),
        "SELECT " + String.join(" AND ", checks));
  }



  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
