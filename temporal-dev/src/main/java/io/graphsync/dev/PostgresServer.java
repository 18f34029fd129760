package io.graphsync.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A project-owned PostgreSQL server made with the machine's server binaries (Debian's {@code postgresql-15}):
 * {@code initdb} once, then {@code pg_ctl start} with {@code wal_level=logical}, replication slots and senders,
 * {@code synchronous_commit=on}, TCP on 127.0.0.1 only, password (SCRAM) authentication. PostgreSQL refuses to
 * run as root, so under root the commands run as the {@code postgres} system user.
 */
public final class PostgresServer implements AutoCloseable {

  private final Settings settings;
  private final Path binDir;
  private boolean started;

  /** Connection and storage settings. */
  public record Settings(Path dataDir, Path log, int port, String user, String password, String database) {}

  public PostgresServer(Settings settings) {
    this.settings = settings;
    this.binDir = findBinDir();
  }

  /** The server binaries: {@code $GRAPHSYNC_PG_BINDIR}, {@code pg_config --bindir}, or /usr/lib/postgresql/N/bin. */
  static Path findBinDir() {
    String configured = System.getenv("GRAPHSYNC_PG_BINDIR");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    try {
      Processes.Result result = Processes.run(List.of("pg_config", "--bindir"), Map.of(), Duration.ofSeconds(10));
      if (result.ok() && Files.isExecutable(Path.of(result.output(), "initdb"))) {
        return Path.of(result.output());
      }
    } catch (DevStackException noPgConfig) {
      // fall through to the Debian layout
    }
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      Optional<Path> newest = versions.map(v -> v.resolve("bin"))
          .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
          .max(Path::compareTo);
      if (newest.isPresent()) {
        return newest.get();
      }
    } catch (IOException ignored) {
      // reported below
    }
    throw new DevStackException("PostgreSQL server binaries not found: run temporal-dev/bin/prerequisites "
        + "(installs Debian's postgresql-15) or set GRAPHSYNC_PG_BINDIR");
  }

  /** Under root, PostgreSQL's commands run as this user. */
  static String serviceUser() {
    return System.getenv().getOrDefault("GRAPHSYNC_PG_OS_USER", "postgres");
  }

  private List<String> asServiceUser(String binary, String... args) {
    List<String> command = new ArrayList<>();
    if (Processes.runningAsRoot()) {
      command.addAll(List.of("runuser", "-u", serviceUser(), "--"));
    }
    command.add(binDir.resolve(binary).toString());
    command.addAll(List.of(args));
    return command;
  }

  /** Whether {@code initdb} has run in the data folder. */
  public boolean initialized() {
    return Files.isRegularFile(settings.dataDir().resolve("PG_VERSION"));
  }

  /** Creates the cluster (once), starts it, and creates the database; idempotent. */
  public PostgresServer start(boolean detach, Duration timeout) {
    try {
      Files.createDirectories(settings.dataDir());
      Files.createDirectories(settings.log().getParent());
      if (!Files.exists(settings.log())) {
        Files.createFile(settings.log());
      }
      if (Processes.runningAsRoot()) {
        Processes.runOrFail(List.of("chown", "-R", serviceUser(), settings.dataDir().toString(),
            settings.log().toString()), Map.of(), Duration.ofSeconds(30),
            "giving the data folder to the '" + serviceUser() + "' user (PostgreSQL does not run as root)");
      }
      if (!initialized()) {
        initdb();
      }
    } catch (IOException e) {
      throw new DevStackException("cannot prepare " + settings.dataDir() + ": " + e.getMessage(), e);
    }
    if (isRunning()) {
      started = true;
      return this;
    }
    Ports.requireFree(settings.port(), "PostgreSQL", "GRAPHSYNC_PG_PORT");
    String options = String.join(" ",
        "-p", Integer.toString(settings.port()),
        "-c", "listen_addresses=127.0.0.1",
        "-c", "unix_socket_directories=''",
        "-c", "wal_level=logical",
        "-c", "max_replication_slots=16",
        "-c", "max_wal_senders=16",
        "-c", "synchronous_commit=on",
        "-c", "max_connections=200",
        "-c", "shared_buffers=256MB");
    List<String> command = new ArrayList<>();
    if (detach) {
      command.add("setsid");
    }
    command.addAll(asServiceUser("pg_ctl", "start", "--wait", "--timeout", Long.toString(timeout.toSeconds()),
        "-D", settings.dataDir().toString(), "-l", settings.log().toString(), "-o", options));
    Processes.Result result = Processes.run(command, Map.of(), timeout.plusSeconds(10));
    if (!result.ok()) {
      throw new DevStackException("PostgreSQL did not start: " + result.output() + "\nits log " + settings.log()
          + " ends with:\n" + Processes.tail(settings.log(), 15));
    }
    started = true;
    createDatabase();
    return this;
  }

  private void initdb() throws IOException {
    Path pwfile = settings.dataDir().resolveSibling(settings.dataDir().getFileName() + ".pw");
    Files.writeString(pwfile, settings.password() + "\n", StandardCharsets.UTF_8);
    try {
      if (Processes.runningAsRoot()) {
        Processes.runOrFail(List.of("chown", serviceUser(), pwfile.toString()), Map.of(), Duration.ofSeconds(10),
            "chown of the password file");
      }
      Processes.runOrFail(asServiceUser("initdb",
              "-D", settings.dataDir().toString(),
              "-U", settings.user(),
              "--pwfile=" + pwfile,
              "--auth=scram-sha-256",
              "--encoding=UTF8",
              "--locale=C.UTF-8"),
          Map.of(), Duration.ofMinutes(2), "initdb of " + settings.dataDir());
    } finally {
      Files.deleteIfExists(pwfile);
    }
  }

  private void createDatabase() {
    Map<String, String> env = Map.of("PGPASSWORD", settings.password());
    String exists = Processes.runOrFail(List.of(binDir.resolve("psql").toString(),
            "-h", "127.0.0.1", "-p", Integer.toString(settings.port()), "-U", settings.user(), "-d", "postgres",
            "-tAc", "SELECT 1 FROM pg_database WHERE datname = '" + settings.database() + "'"),
        env, Duration.ofSeconds(30), "checking for database " + settings.database());
    if (!exists.contains("1")) {
      Processes.runOrFail(List.of(binDir.resolve("createdb").toString(),
              "-h", "127.0.0.1", "-p", Integer.toString(settings.port()), "-U", settings.user(),
              settings.database()),
          env, Duration.ofSeconds(30), "createdb " + settings.database());
    }
  }

  /** The postmaster pid from {@code postmaster.pid}, when a server of this data folder runs. */
  public Optional<Long> pid() {
    Path pidFile = settings.dataDir().resolve("postmaster.pid");
    try {
      if (!Files.isRegularFile(pidFile)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
      return Processes.commandLine(pid).map(cmd -> pid);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public boolean isRunning() {
    return pid().isPresent();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + settings.port() + "/" + settings.database();
  }

  /**
   * A (non-pooling) DataSource on this server's database as its user, for tests; needs the PostgreSQL JDBC driver on
   * the caller's classpath.
   */
  public javax.sql.DataSource dataSource() {
    return new DriverManagerDataSource(jdbcUrl(), settings.user(), settings.password());
  }

  public Settings settings() {
    return settings;
  }

  /** Stops the server of this data folder ({@code pg_ctl stop -m fast}), if it runs. */
  public boolean stop() {
    if (!initialized() || !isRunning()) {
      return false;
    }
    Processes.run(asServiceUser("pg_ctl", "stop", "-m", "fast", "--wait", "-D", settings.dataDir().toString()),
        Map.of(), Duration.ofSeconds(60));
    return true;
  }

  @Override
  public void close() {
    if (started) {
      stop();
      started = false;
    }
  }
}
