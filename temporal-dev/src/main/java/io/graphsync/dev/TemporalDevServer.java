package io.graphsync.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real Temporal dev server ({@code temporal server start-dev}) with its Web UI, on loopback ports, with the
 * project's custom search attributes registered at start.
 */
public final class TemporalDevServer implements AutoCloseable {

  /** The search attributes graphsync's workflows set; registered by the dev server at start. */
  public static final Map<String, String> SEARCH_ATTRIBUTES = searchAttributes();

  /** What marks our dev server's command line, so {@code down} stops ours and nothing else. */
  static final String MARKER = "start-dev";

  private final Settings settings;
  private final Optional<String> uiCodecEndpoint;
  private Process process;

  /**
   * @param dbFile the SQLite file, or empty for an in-memory server (tests)
   */
  public record Settings(
      Path cli, int grpcPort, int uiPort, int httpPort, int metricsPort, Optional<Path> dbFile, Path log,
      String namespace) {}

  public TemporalDevServer(Settings settings) {
    this(settings, null);
  }

  /**
   * @param uiCodecEndpoint the codec server the Web UI decodes payloads with ({@code --ui-codec-endpoint}), e.g.
   *     worker-app's {@code http://127.0.0.1:8080/codec}; null or blank for none
   */
  public TemporalDevServer(Settings settings, String uiCodecEndpoint) {
    this.settings = settings;
    this.uiCodecEndpoint = Optional.ofNullable(uiCodecEndpoint).filter(endpoint -> !endpoint.isBlank());
  }

  private static Map<String, String> searchAttributes() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("EntityType", "Keyword");
    attributes.put("EntityId", "Keyword");
    attributes.put("TenantId", "Keyword");
    attributes.put("EventType", "Keyword");
    attributes.put("SyncStatus", "Keyword");
    attributes.put("ConflictStatus", "Keyword");
    attributes.put("Source", "Keyword");
    return Map.copyOf(attributes);
  }

  /** The command line, for starting and for documentation. */
  List<String> command() {
    List<String> command = new ArrayList<>(List.of(
        settings.cli().toString(), "server", MARKER,
        "--ip", "127.0.0.1",
        "--port", Integer.toString(settings.grpcPort()),
        "--ui-port", Integer.toString(settings.uiPort()),
        "--http-port", Integer.toString(settings.httpPort()),
        "--metrics-port", Integer.toString(settings.metricsPort()),
        "--log-level", "warn",
        // eager workflow start: a starter that shares its client with a worker skips a matching round trip
        "--dynamic-config-value", "system.enableEagerWorkflowStart=true",
        "--log-format", "pretty"));
    if (!"default".equals(settings.namespace())) {
      command.addAll(List.of("--namespace", settings.namespace()));
    }
    settings.dbFile().ifPresent(file -> {
      command.addAll(List.of("--db-filename", file.toString()));
      // Throughput over durability of the last few milliseconds: a dev server, not a cluster. WAL lets the UI
      // read while workers write.
      command.addAll(List.of("--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal"));
    });
    SEARCH_ATTRIBUTES.forEach((key, type) -> command.addAll(List.of("--search-attribute", key + "=" + type)));
    uiCodecEndpoint.ifPresent(endpoint -> command.addAll(List.of("--ui-codec-endpoint", endpoint)));
    return command;
  }

  /** Starts the server and waits until its frontend answers health checks. */
  public TemporalDevServer start(boolean detach, Duration timeout) {
    Ports.requireFree(settings.grpcPort(), "the Temporal frontend", "GRAPHSYNC_TEMPORAL_PORT");
    Ports.requireFree(settings.uiPort(), "the Temporal Web UI", "GRAPHSYNC_TEMPORAL_UI_PORT");
    settings.dbFile().ifPresent(file -> {
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
      } catch (IOException e) {
        throw new DevStackException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
      }
    });
    process = Processes.startLogged(command(), Map.of(), settings.log(), detach);
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new DevStackException("the Temporal dev server exited (code " + process.exitValue() + "); its log "
            + settings.log() + " ends with:\n" + Processes.tail(settings.log(), 20));
      }
      if (Ports.isListening(settings.grpcPort()) && healthy(settings.cli(), address())) {
        return this;
      }
      Ports.sleep(200);
    }
    close();
    throw new DevStackException("the Temporal dev server did not become healthy within " + timeout.toSeconds()
        + "s; see " + settings.log());
  }

  static boolean healthy(Path cli, String address) {
    return Processes.run(
            List.of(cli.toString(), "operator", "cluster", "health", "--address", address),
            Map.of(), Duration.ofSeconds(10))
        .output().contains("SERVING");
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Runs the {@code temporal} CLI against this server ({@code --address}, {@code --namespace} added), as an operator
   * would; returns its output, or throws with it when the command fails.
   */
  public String cli(String... args) {
    List<String> command = new ArrayList<>();
    command.add(settings.cli().toString());
    command.addAll(List.of(args));
    command.addAll(List.of("--address", address(), "--namespace", namespace()));
    return Processes.runOrFail(command, Map.of(), Duration.ofSeconds(60), "temporal " + String.join(" ", args));
  }

  public String address() {
    return "127.0.0.1:" + settings.grpcPort();
  }

  public String uiUrl() {
    return "http://127.0.0.1:" + settings.uiPort();
  }

  public String namespace() {
    return settings.namespace();
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      Processes.stop(process.pid(), MARKER, Duration.ofSeconds(10));
    }
  }
}
