package io.graphsync.app.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * worker-app as operators run it: the packaged Spring Boot jar in a JVM of its own, so that it can be killed with
 * SIGKILL and started again. Its output goes to one log file across restarts.
 */
final class WorkerAppProcess implements AutoCloseable {

  private final Path jar;
  private final List<String> arguments;
  private final List<String> jvmOptions;
  private final Path log;
  private Process process;

  WorkerAppProcess(Path jar, List<String> jvmOptions, List<String> arguments, Path log) {
    this.jar = jar;
    this.arguments = List.copyOf(arguments);
    this.jvmOptions = List.copyOf(jvmOptions);
    this.log = log;
  }

  /**
   * worker-app's executable jar in {@code worker-app/target}, whatever its version: the newest
   * {@code graphsync-worker-app-*.jar} that is not a sources, javadoc or tests jar.
   */
  static Path findJar(Path root) {
    Path target = root.resolve("worker-app/target");
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(file -> file.getFileName().toString().matches("graphsync-worker-app-.*\\.jar"))
          .filter(file -> !file.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar"))
          .max(Comparator.comparing(file -> file.toFile().lastModified()))
          .orElseThrow(() -> new IllegalStateException("no graphsync-worker-app-*.jar in " + target
              + ": build it first with ./mvnw -DskipTests -pl worker-app -am package"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + target + ": build worker-app first with "
          + "./mvnw -DskipTests -pl worker-app -am package", e);
    }
  }

  /** Starts the JVM (it returns at once; see {@link #awaitCapture}). */
  synchronized WorkerAppProcess start() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString()));
    command.addAll(arguments);
    try {
      Files.createDirectories(log.getParent());
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      return this;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start worker-app: " + e.getMessage(), e);
    }
  }

  synchronized long pid() {
    return process.pid();
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, no shutdown hooks, no goodbye to Temporal or PostgreSQL; returns the exit code (137). */
  synchronized int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("worker-app (pid " + process.pid() + ") survived SIGKILL for 30 s");
    }
    return process.exitValue();
  }

  /**
   * Waits until a capture streams: the replication slot is active (a walsender serves it), which happens only
   * after worker-app has migrated, validated the mapping, taken the capture lease and started the engine.
   */
  Duration awaitCapture(DataSource dataSource, String slot, Duration timeout) throws InterruptedException {
    Instant start = Instant.now();
    Instant deadline = start.plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!isAlive()) {
        throw new IllegalStateException("worker-app exited (code " + process.exitValue() + "); see " + log);
      }
      if (slotActive(dataSource, slot)) {
        return Duration.between(start, Instant.now());
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("worker-app's capture did not stream within " + timeout.toSeconds() + " s; see "
        + log);
  }

  private static boolean slotActive(DataSource dataSource, String slot) {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement(
             "SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
      statement.setString(1, slot);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() && rows.getBoolean(1);
      }
    } catch (SQLException notYet) {
      return false;
    }
  }

  /** SIGTERM (Spring's graceful shutdown), SIGKILL after 30 s. */
  @Override
  public synchronized void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
