package io.graphsync.app.faults;

import io.graphsync.dev.Neo4jServer;
import io.graphsync.dev.Ports;
import io.graphsync.dev.PostgresServer;
import io.graphsync.dev.ProjectLayout;
import io.graphsync.dev.TemporalCli;
import io.graphsync.dev.TemporalDevServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault run's own three servers, on free loopback ports with state under its work folder (never the
 * developer's {@code stack up} servers, never the tests' shared ones), each of which can be stopped and started
 * again on the same ports and the same data: Temporal persists to SQLite so that a restart keeps every workflow.
 */
final class FaultServers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FaultServers.class);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final PostgresServer postgres;
  private final Neo4jServer.Settings neo4jSettings;
  private final TemporalDevServer.Settings temporalSettings;
  private final ProjectLayout layout;
  private volatile Neo4jServer neo4j;
  private volatile TemporalDevServer temporal;

  private FaultServers(ProjectLayout layout, Path workDir) {
    this.layout = layout;
    this.postgres = new PostgresServer(new PostgresServer.Settings(workDir.resolve("postgres"),
        workDir.resolve("postgres.log"), Ports.free(), "graphsync", "graphsync-faults", "graphsync"));
    this.neo4jSettings = new Neo4jServer.Settings(workDir.resolve("neo4j"), workDir.resolve("neo4j.log"),
        Ports.free(), "graphsync-faults", "512m", "64m");
    this.temporalSettings = new TemporalDevServer.Settings(TemporalCli.locate(layout), Ports.free(), Ports.free(),
        Ports.free(), Ports.free(), Optional.of(workDir.resolve("temporal/temporal.db")),
        workDir.resolve("temporal.log"), "default");
  }

  /** Starts all three (Neo4j, the slowest, alongside the other two). */
  static FaultServers start(ProjectLayout layout, Path workDir) {
    FaultServers servers = new FaultServers(layout, workDir);
    CompletableFuture<Void> neo4j = CompletableFuture.runAsync(servers::startNeo4j);
    try {
      servers.postgres.start(false, START_TIMEOUT);
      servers.startTemporal();
      neo4j.join();
      return servers;
    } catch (RuntimeException e) {
      neo4j.exceptionally(ignored -> null).join();
      servers.close();
      throw e;
    }
  }

  PostgresServer postgres() {
    return postgres;
  }

  Neo4jServer neo4j() {
    return neo4j;
  }

  TemporalDevServer temporal() {
    return temporal;
  }

  ProjectLayout layout() {
    return layout;
  }

  /** Stops the Temporal dev server (SIGTERM) and starts it again: same SQLite file, same ports. */
  void restartTemporal() {
    temporal.close();
    startTemporal();
  }

  /** Stops Neo4j (SIGTERM, clean shutdown); {@link #startNeo4j()} brings it back on the same port and data. */
  void stopNeo4j() {
    neo4j.close();
  }

  void startNeo4j() {
    neo4j = new Neo4jServer(layout, neo4jSettings).start(false, START_TIMEOUT);
  }

  /** {@code pg_ctl stop -m fast}, then start again: every session (the capture's too) is cut. */
  void restartPostgres() {
    postgres.stop();
    postgres.start(false, START_TIMEOUT);
  }

  private void startTemporal() {
    temporal = new TemporalDevServer(temporalSettings).start(false, START_TIMEOUT);
  }

  @Override
  public void close() {
    for (AutoCloseable server : new AutoCloseable[] {temporal, neo4j, postgres}) {
      if (server != null) {
        try {
          server.close();
        } catch (Exception e) {
          LOG.warn("stopping {} failed", server.getClass().getSimpleName(), e);
        }
      }
    }
  }
}
