package io.graphsync.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The real servers for tests: started lazily, once per test JVM, on free loopback ports, with throw-away state
 * under {@code target/}; stopped and deleted when the JVM exits. The JUnit extensions hand them to tests.
 */
public final class DevStack {

  private static final DevStack SHARED = new DevStack();

  private final ProjectLayout layout = ProjectLayout.detect();
  private final Path workDir = Path.of("target", "dev-stack-" + ProcessHandle.current().pid()).toAbsolutePath();
  private PostgresServer postgres;
  private Neo4jServer neo4j;
  private TemporalDevServer temporal;

  private DevStack() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "dev-stack-shutdown"));
  }

  public static DevStack shared() {
    return SHARED;
  }

  public synchronized PostgresServer postgres() {
    if (postgres == null) {
      postgres = new PostgresServer(new PostgresServer.Settings(workDir.resolve("postgres"),
          workDir.resolve("postgres.log"), Ports.free(), "graphsync", "graphsync-test", "graphsync"))
          .start(false, Duration.ofSeconds(60));
    }
    return postgres;
  }

  public synchronized Neo4jServer neo4j() {
    if (neo4j == null) {
      neo4j = new Neo4jServer(layout, new Neo4jServer.Settings(workDir.resolve("neo4j"),
          workDir.resolve("neo4j.log"), Ports.free(), "graphsync-test", "512m", "64m"))
          .start(false, Duration.ofSeconds(120));
    }
    return neo4j;
  }

  public synchronized TemporalDevServer temporal() {
    if (temporal == null) {
      temporal = new TemporalDevServer(new TemporalDevServer.Settings(TemporalCli.locate(layout), Ports.free(),
          Ports.free(), Ports.free(), Ports.free(), Optional.empty(), workDir.resolve("temporal.log"), "default"))
          .start(false, Duration.ofSeconds(90));
    }
    return temporal;
  }

  private synchronized void shutdown() {
    for (AutoCloseable server : new AutoCloseable[] {temporal, neo4j, postgres}) {
      if (server != null) {
        try {
          server.close();
        } catch (Exception e) {
          System.err.println("dev stack: stopping " + server.getClass().getSimpleName() + " failed: " + e);
        }
      }
    }
    if (!Boolean.getBoolean("graphsync.keepTestData")) {
      deleteRecursively(workDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("dev stack: could not delete " + dir + ": " + e.getMessage());
    }
  }
}
