package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.dev.Ports;
import io.graphsync.dev.PostgresServer;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The capture over TLS: a PostgreSQL of its own with {@code ssl=on} and a certificate of a test CA (made with
 * openssl), and a capture whose JDBC URL says {@code sslmode=verify-full&sslrootcert=<the CA>} and lists a dead host
 * before the live one. It streams, and every one of its connections — lease, publication, offsets, slot monitor,
 * Debezium's schema connections and its replication stream — is encrypted ({@code pg_stat_ssl}).
 */
@ExtendWith(GraphsyncExtension.class)
class PostgresTlsCaptureIT {

  private static final String SLOT = "gs_tls_it";

  private static Path workDir;
  private static PostgresServer postgres;
  private static CaptureFixture fixture;
  private static Path caCert;

  @BeforeAll
  static void startPostgresWithTls(GraphsyncStack stack) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is needed to make certificates");
    workDir = Path.of("target", "capture-tls-" + ProcessHandle.current().pid()).toAbsolutePath();
    postgres = new PostgresServer(new PostgresServer.Settings(workDir.resolve("postgres"),
        workDir.resolve("postgres.log"), Ports.free(), "graphsync", "graphsync-tls-test", "graphsync"))
        .start(false, Duration.ofSeconds(60));
    Path certs = Files.createDirectories(workDir.resolve("certs"));
    caCert = certs.resolve("ca.crt");
    openssl(certs, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "2", "-subj", "/CN=graphsync-test-ca");
    openssl(certs, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=localhost");
    Files.writeString(certs.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    openssl(certs, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.crt", "-days", "2", "-extfile", "san.ext");
    // the server reads them from its data folder, owned by its user, the key readable by it alone
    Path dataDir = postgres.settings().dataDir();
    Path serverCert = Files.copy(certs.resolve("server.crt"), dataDir.resolve("graphsync-test-server.crt"));
    Path serverKey = Files.copy(certs.resolve("server.key"), dataDir.resolve("graphsync-test-server.key"));
    Files.setPosixFilePermissions(serverKey, PosixFilePermissions.fromString("rw-------"));
    var owner = Files.getOwner(dataDir);
    Files.setOwner(serverCert, owner);
    Files.setOwner(serverKey, owner);
    try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl() + "?sslmode=disable",
        postgres.settings().user(), postgres.settings().password()); Statement s = admin.createStatement()) {
      s.execute("ALTER SYSTEM SET ssl_cert_file = '" + serverCert + "'");
      s.execute("ALTER SYSTEM SET ssl_key_file = '" + serverKey + "'");
      s.execute("ALTER SYSTEM SET ssl = on");
      s.execute("SELECT pg_reload_conf()");
    }
    Await.until("ssl = on", Duration.ofSeconds(20), PostgresTlsCaptureIT::serverSpeaksTls);
    fixture = new CaptureFixture(stack, postgres, SLOT);
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("openssl " + String.join(" ", args) + ": " + output).isZero();
  }

  private static boolean serverSpeaksTls() {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl() + "?sslmode=verify-full&sslrootcert="
        + caCert, postgres.settings().user(), postgres.settings().password());
         Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
      return r.next() && r.getBoolean(1);
    } catch (SQLException e) {
      return false;
    }
  }

  @AfterAll
  static void stopPostgres() throws IOException, SQLException {
    if (fixture != null) {
      fixture.dropSlot();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (workDir != null && !Boolean.getBoolean("graphsync.keepTestData")) {
      try (Stream<Path> files = Files.walk(workDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  void givenVerifyFullAndTwoHosts_whenTheCaptureRuns_everyConnectionOfItIsEncryptedAndChangesStream()
      throws Exception {
    int dead = Ports.free();
    String url = "jdbc:postgresql://127.0.0.1:" + dead + ",127.0.0.1:" + postgres.settings().port() + "/graphsync"
        + "?sslmode=verify-full&sslrootcert=" + caCert + "&connectTimeout=5";
    CaptureSettings settings = fixture.settings().jdbcUrl(url).build();
    assertThat(settings.url().debeziumProperties())
        .containsEntry("database.sslmode", "verify-full")
        .containsEntry("database.sslrootcert", caCert.toString());

    try (PostgresCapture capture = new PostgresCapture(settings, fixture.client, new CaptureMetrics())) {
      capture.start();
      fixture.awaitStreaming(capture);

      String tenant = UUID.randomUUID().toString();
      try (Connection c = fixture.postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO tenants (id, name) VALUES ('" + tenant + "', 'tls')");
      }
      assertThat(fixture.awaitEvents(tenant, 1).get(0).entityId()).isEqualTo(tenant);

      try (Connection c = fixture.postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
        try (ResultSet r = s.executeQuery("SELECT st.ssl FROM pg_replication_slots sl "
            + "JOIN pg_stat_ssl st ON st.pid = sl.active_pid WHERE sl.slot_name = '" + SLOT + "'")) {
          assertThat(r.next()).as("the slot is streamed").isTrue();
          assertThat(r.getBoolean(1)).as("the replication stream is encrypted").isTrue();
        }
        List<String> plain = new ArrayList<>();
        List<String> encrypted = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT a.application_name, a.backend_type, st.ssl FROM pg_stat_activity a "
            + "JOIN pg_stat_ssl st ON st.pid = a.pid WHERE a.application_name LIKE 'Debezium%' "
            + "OR a.application_name LIKE 'graphsync-capture%'")) {
          while (r.next()) {
            (r.getBoolean(3) ? encrypted : plain).add(r.getString(1) + " (" + r.getString(2) + ")");
          }
        }
        assertThat(plain).as("capture connections without TLS").isEmpty();
        assertThat(encrypted).anyMatch(a -> a.startsWith("Debezium Streaming"))
            .anyMatch(a -> a.startsWith("graphsync-capture-lease"));
      }
    }
  }
}
