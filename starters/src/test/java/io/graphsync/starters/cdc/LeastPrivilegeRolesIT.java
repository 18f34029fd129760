package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.activities.mapping.MappingLoader;
import io.graphsync.activities.mapping.MappingValidator;
import io.graphsync.activities.schema.RoleGrants;
import io.graphsync.activities.schema.SchemaMigrations;
import io.graphsync.dev.PostgresServer;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * graphsync's three PostgreSQL roles on a real server, set up as docs/security.md says: the roles script
 * ({@code db/roles/graphsync-roles.sql}) run by a superuser, the migrations run as {@code graphsync_migrate}, the
 * grants derived from the mapping ({@link RoleGrants}) run by it too. Then the runtime role may write the bookkeeping
 * columns and nothing else of a table it has no business-column grant for, and the capture streams as
 * {@code graphsync_capture}, keeping its publication through the owner role.
 */
@ExtendWith(GraphsyncExtension.class)
class LeastPrivilegeRolesIT {

  private static final String DATABASE = "gs_roles_it";
  private static final String SLOT = "gs_roles_it";
  private static final SecureRandom RANDOM = new SecureRandom();

  private static PostgresServer postgres;
  private static String url;
  private static final String MIGRATE_PASSWORD = password();
  private static final String CAPTURE_PASSWORD = password();
  private static final String RUNTIME_PASSWORD = password();
  private static GraphMapping mapping;
  private static CaptureFixture fixture;

  private static String password() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @BeforeAll
  static void setUpRoles(GraphsyncStack stack) throws Exception {
    postgres = stack.postgres();
    PostgresServer server = postgres;
    fixture = new CaptureFixture(stack, SLOT);
    url = server.jdbcUrl().substring(0, server.jdbcUrl().lastIndexOf('/') + 1) + DATABASE;
    try (Connection admin = fixture.postgres.dataSource().getConnection(); Statement s = admin.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + DATABASE);
    }
    try (Connection admin = superuser(); Statement s = admin.createStatement()) {
      s.execute(rolesScript());
      s.execute("ALTER ROLE graphsync_migrate PASSWORD '" + MIGRATE_PASSWORD + "'");
      s.execute("ALTER ROLE graphsync_capture PASSWORD '" + CAPTURE_PASSWORD + "'");
      s.execute("ALTER ROLE graphsync_runtime PASSWORD '" + RUNTIME_PASSWORD + "'");
    }
    DataSource migrate = dataSource("graphsync_migrate", MIGRATE_PASSWORD);
    SchemaMigrations.migrate(migrate, true);
    mapping = new MappingValidator(migrate).validate(MappingLoader.loadResource("mapping/contextnexus.yml"));
    // KEEP_NEO4J (business-column writes) only for concepts
    RoleGrants.apply(migrate, mapping, new RoleGrants.Roles("graphsync_runtime", "graphsync_capture",
        "graphsync.capture_offsets", Set.of("concepts")));
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (fixture != null) {
      try (Connection admin = superuser(); Statement s = admin.createStatement()) {
        Await.until("slot released", Duration.ofSeconds(30), () -> !fixture.slotActive());
        s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
            + SLOT + "'");
      }
      try (Connection admin = fixture.postgres.dataSource().getConnection(); Statement s = admin.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
      }
    }
  }

  private static String rolesScript() throws IOException {
    try (InputStream in = RoleGrants.class.getResourceAsStream("/db/roles/graphsync-roles.sql")) {
      assertThat(in).as("db/roles/graphsync-roles.sql on the classpath").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Connection superuser() throws SQLException {
    return DriverManager.getConnection(url, postgres.settings().user(), postgres.settings().password());
  }

  private static DataSource dataSource(String user, String password) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(url);
    dataSource.setUser(user);
    dataSource.setPassword(password);
    return dataSource;
  }

  private static Connection as(String user, String password) throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      return statement.executeUpdate();
    }
  }

  private static long pgVersion(Connection c, String table, UUID id) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT pg_version FROM " + table + " WHERE id = ?")) {
      q.setObject(1, id);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /** A tenant, a user and a concept, written by the tables' owner (the application in a real install). */
  private static UUID[] rows() throws SQLException {
    UUID tenant = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    UUID concept = UUID.randomUUID();
    try (Connection owner = as("graphsync_migrate", MIGRATE_PASSWORD)) {
      update(owner, "INSERT INTO tenants (id, name) VALUES (?, 'acme')", tenant);
      update(owner, "INSERT INTO users (id, tenant_id, email) VALUES (?, ?, 'a@example.org')", user, tenant);
      update(owner, "INSERT INTO concepts (id, tenant_id, name) VALUES (?, ?, 'graphs')", concept, tenant);
    }
    return new UUID[] {tenant, user, concept};
  }

  @Test
  void givenTheRuntimeRole_whenItWritesBack_itMayWriteTheBookkeepingColumnsButNoBusinessColumn() throws Exception {
    UUID[] ids = rows();
    UUID user = ids[1];
    try (Connection runtime = as("graphsync_runtime", RUNTIME_PASSWORD)) {
      long before = pgVersion(runtime, "users", user);

      // the write-back of a sync: bookkeeping columns only
      assertThat(update(runtime, "UPDATE users SET sync_status = 'SUCCESS', sync_attempts = 1, last_sync_error = NULL, "
          + "last_sync_timestamp = now(), neo4j_node_id = '4:abc:1' WHERE id = ? AND pg_version = ?", user, before))
          .isEqualTo(1);
      assertThat(pgVersion(runtime, "users", user)).isEqualTo(before);
      // the row locks of the backfill and the re-reads
      try (Statement s = runtime.createStatement()) {
        s.executeQuery("SELECT * FROM users WHERE id = '" + user + "' FOR SHARE").close();
        s.executeQuery("SELECT * FROM content_item_concepts LIMIT 1 FOR SHARE").close();
      }
      // graphsync's own tables the activities write
      update(runtime, "INSERT INTO graphsync.reconciliation_run (workflow_id, temporal_run_id, tables) "
          + "VALUES ('roles-it', ?, '{users}')", UUID.randomUUID().toString());
      // retention: old rejects, runs and findings, audit rows
      update(runtime, "DELETE FROM graphsync.capture_rejects WHERE rejected_at < now() - interval '30 days'");
      update(runtime, "DELETE FROM graphsync.conflict_audit WHERE decided_at < now() - interval '365 days'");

      // but never a business column, a row, or the capture's tables
      assertThatThrownBy(() -> update(runtime, "UPDATE users SET email = 'mallory@example.org' WHERE id = ?", user))
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied")
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
      assertThatThrownBy(() -> update(runtime, "UPDATE users SET pg_version = pg_version + 1 WHERE id = ?", user))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> update(runtime, "DELETE FROM users WHERE id = ?", user))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> update(runtime, "INSERT INTO tenants (id, name) VALUES (?, 'evil')", UUID.randomUUID()))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> update(runtime, "DELETE FROM graphsync.capture_offsets"))
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void givenATableWithKeepNeo4jWrites_whenTheRuntimeRoleWritesItsMappedColumns_itMayButNotItsTenantOrKey()
      throws Exception {
    UUID[] ids = rows();
    UUID concept = ids[2];
    try (Connection runtime = as("graphsync_runtime", RUNTIME_PASSWORD)) {
      long before = pgVersion(runtime, "concepts", concept);

      // what a KEEP_NEO4J decision writes: the mapped property columns, guarded by pg_version
      assertThat(update(runtime, "UPDATE concepts SET name = 'graph theory', description = 'from the graph' "
          + "WHERE id = ? AND pg_version = ?", concept, before)).isEqualTo(1);
      assertThat(pgVersion(runtime, "concepts", concept)).isEqualTo(before + 1);

      assertThatThrownBy(() -> update(runtime, "UPDATE concepts SET tenant_id = ? WHERE id = ?", ids[0], concept))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> update(runtime, "UPDATE concepts SET id = ? WHERE id = ?", UUID.randomUUID(), concept))
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void givenTheGrants_whenListed_theyNameExactlyTheBookkeepingColumnsOfTablesWithoutBusinessWrites() {
    List<String> statements = RoleGrants.statements(mapping,
        new RoleGrants.Roles("graphsync_runtime", null, "graphsync.capture_offsets", Set.of()));

    assertThat(statements).contains("GRANT UPDATE (\"sync_status\", \"sync_attempts\", \"last_sync_error\", "
        + "\"last_sync_timestamp\", \"neo4j_node_id\") ON \"users\" TO \"graphsync_runtime\"");
    assertThat(statements).noneMatch(s -> s.contains("\"email\""));
    assertThat(statements).noneMatch(s -> s.contains("capture_offsets"));
  }

  @Test
  void givenTheCaptureRole_whenTheCaptureRuns_itStreamsAsThatRoleAndKeepsItsPublicationAsTheOwner() throws Exception {
    CaptureSettings settings = fixture.settings()
        .jdbcUrl(url + "?ApplicationName=graphsync-roles-it")
        .user("graphsync_capture")
        .password(CAPTURE_PASSWORD)
        .publicationRole("graphsync_migrate")
        .build();
    try (PostgresCapture capture = new PostgresCapture(settings, fixture.client, new CaptureMetrics())) {
      capture.start();
      fixture.awaitStreaming(capture);

      UUID tenant = rows()[0];
      List<ChangeEvent> events = fixture.awaitEvents(tenant.toString(), 1);
      assertThat(events.get(0).table()).isEqualTo("tenants");

      try (Connection admin = superuser(); Statement s = admin.createStatement()) {
        try (ResultSet r = s.executeQuery("SELECT a.usename FROM pg_replication_slots sl "
            + "JOIN pg_stat_activity a ON a.pid = sl.active_pid WHERE sl.slot_name = '" + SLOT + "'")) {
          assertThat(r.next()).as("the slot is streamed").isTrue();
          assertThat(r.getString(1)).isEqualTo("graphsync_capture");
        }
        try (ResultSet r = s.executeQuery("SELECT pubowner::regrole::text FROM pg_publication WHERE pubname = '"
            + SLOT + "_pub'")) {
          assertThat(r.next()).isTrue();
          assertThat(r.getString(1)).isEqualTo("graphsync_migrate");
        }
        Await.until("offsets of " + SLOT, Duration.ofSeconds(30), () -> offsetsWritten());
      }
      // the capture role itself (NOINHERIT) cannot write business rows
      try (Connection c = as("graphsync_capture", CAPTURE_PASSWORD)) {
        assertThatThrownBy(() -> update(c, "UPDATE tenants SET name = 'x' WHERE id = ?", tenant))
            .hasMessageContaining("permission denied");
      }
    }
  }

  private static boolean offsetsWritten() {
    try (Connection admin = superuser();
         PreparedStatement q = admin.prepareStatement(
             "SELECT count(*) FROM graphsync.capture_offsets WHERE slot_name = ?")) {
      q.setString(1, SLOT);
      try (ResultSet r = q.executeQuery()) {
        return r.next() && r.getLong(1) > 0;
      }
    } catch (SQLException e) {
      return false;
    }
  }
}
