package io.graphsync.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code up}, {@code down}, {@code status} of the local stack, and {@code register-search-attributes} for a real
 * cluster. State (databases, logs, pid files) lives under {@code .data/}. {@code up} is idempotent; {@code down}
 * stops exactly the processes {@code up} started, found by pid and checked by command line.
 *
 * <p>Configuration by environment: {@code GRAPHSYNC_TEMPORAL_PORT} (7233), {@code GRAPHSYNC_TEMPORAL_UI_PORT}
 * (8233), {@code GRAPHSYNC_PG_PORT} (55432), {@code GRAPHSYNC_PG_PASSWORD}, {@code GRAPHSYNC_NEO4J_BOLT_PORT}
 * (7687), {@code GRAPHSYNC_NEO4J_PASSWORD}, {@code GRAPHSYNC_NEO4J_HEAP} (1g). A server given from outside
 * ({@code GRAPHSYNC_PG_URL}, {@code GRAPHSYNC_NEO4J_URI}, {@code GRAPHSYNC_TEMPORAL_ADDRESS}) is used as it is and
 * never started or stopped here.
 */
public final class StackCli {

  private final ProjectLayout layout;
  private final Map<String, String> env;

  StackCli(ProjectLayout layout, Map<String, String> env) {
    this.layout = layout;
    this.env = env;
  }

  public static void main(String[] args) {
    String command = args.length == 0 ? "status" : args[0];
    StackCli cli = new StackCli(ProjectLayout.detect(), System.getenv());
    try {
      int code = switch (command) {
        case "up" -> cli.up();
        case "down" -> cli.down();
        case "status" -> cli.status();
        case "register-search-attributes" -> cli.registerSearchAttributes(List.of(args).subList(1, args.length));
        default -> {
          System.err.println("usage: stack up|down|status|register-search-attributes [--address host:port] "
              + "[--namespace ns]");
          yield 2;
        }
      };
      System.exit(code);
    } catch (DevStackException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
    }
  }

  private String get(String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private int port(String name, int fallback) {
    try {
      return Integer.parseInt(get(name, Integer.toString(fallback)));
    } catch (NumberFormatException e) {
      throw new DevStackException(name + " must be a port number, not '" + env.get(name) + "'");
    }
  }

  private Path data(String relative) {
    return layout.dataDir().resolve(relative);
  }

  private Path pidFile(String service) {
    return data("run/" + service + ".pid");
  }

  private boolean external(String variable) {
    return env.containsKey(variable) && !env.get(variable).isBlank();
  }

  PostgresServer postgres() {
    return new PostgresServer(new PostgresServer.Settings(data("postgres"), data("logs/postgres.log"),
        port("GRAPHSYNC_PG_PORT", 55432), get("GRAPHSYNC_PG_USER", "graphsync"),
        get("GRAPHSYNC_PG_PASSWORD", "graphsync"), get("GRAPHSYNC_PG_DATABASE", "graphsync")));
  }

  Neo4jServer neo4j() {
    return new Neo4jServer(layout, new Neo4jServer.Settings(data("neo4j"), data("logs/neo4j.log"),
        port("GRAPHSYNC_NEO4J_BOLT_PORT", 7687), get("GRAPHSYNC_NEO4J_PASSWORD", "graphsync-dev"),
        get("GRAPHSYNC_NEO4J_HEAP", "1g"), get("GRAPHSYNC_NEO4J_PAGE_CACHE", "256m")));
  }

  TemporalDevServer temporal(Path cli) {
    int grpc = port("GRAPHSYNC_TEMPORAL_PORT", 7233);
    return new TemporalDevServer(new TemporalDevServer.Settings(cli, grpc,
        port("GRAPHSYNC_TEMPORAL_UI_PORT", grpc + 1000), port("GRAPHSYNC_TEMPORAL_HTTP_PORT", grpc + 10),
        port("GRAPHSYNC_TEMPORAL_METRICS_PORT", grpc + 11), Optional.of(data("temporal/temporal.db")),
        data("logs/temporal.log"), get("GRAPHSYNC_TEMPORAL_NAMESPACE", "default")),
        // worker-app's codec server: the Web UI decodes payloads there for a logged-in operator (docs/security.md)
        get("GRAPHSYNC_TEMPORAL_UI_CODEC_ENDPOINT",
            "http://127.0.0.1:" + port("GRAPHSYNC_HTTP_PORT", 8080) + "/codec"));
  }

  private Optional<Long> livePid(String service, String marker) {
    try {
      if (!Files.isRegularFile(pidFile(service))) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile(service)).strip());
      return Processes.commandLine(pid).filter(cmd -> cmd.contains(marker)).map(cmd -> pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void writePid(String service, long pid) {
    try {
      Files.createDirectories(pidFile(service).getParent());
      Files.writeString(pidFile(service), pid + "\n");
    } catch (IOException e) {
      throw new DevStackException("cannot write " + pidFile(service) + ": " + e.getMessage(), e);
    }
  }

  int up() {
    if (external("GRAPHSYNC_PG_URL")) {
      System.out.println("postgres  external  " + env.get("GRAPHSYNC_PG_URL"));
    } else {
      PostgresServer postgres = postgres();
      boolean was = postgres.isRunning();
      postgres.start(true, Duration.ofSeconds(60));
      System.out.println("postgres  " + (was ? "already running" : "started") + " (pid " + postgres.pid().orElse(-1L)
          + ")  " + postgres.jdbcUrl() + "  user " + postgres.settings().user());
      Path roles = new StackRoles(layout, postgres).ensure();
      System.out.println("pg roles  " + StackRoles.ROLES + "  (passwords in " + roles + ")");
    }
    if (external("GRAPHSYNC_NEO4J_URI")) {
      System.out.println("neo4j     external  " + env.get("GRAPHSYNC_NEO4J_URI"));
    } else {
      Neo4jServer neo4j = neo4j();
      Optional<Long> running = livePid("neo4j", Neo4jServer.MAIN_CLASS);
      if (running.isPresent()) {
        System.out.println("neo4j     already running (pid " + running.get() + ")  " + neo4j.boltUri());
      } else {
        neo4j.start(true, Duration.ofSeconds(180));
        writePid("neo4j", neo4j.pid());
        System.out.println("neo4j     started (pid " + neo4j.pid() + ")  " + neo4j.boltUri() + "  user neo4j");
      }
    }
    if (external("GRAPHSYNC_TEMPORAL_ADDRESS")) {
      System.out.println("temporal  external  " + env.get("GRAPHSYNC_TEMPORAL_ADDRESS"));
    } else {
      Optional<Long> running = livePid("temporal", TemporalDevServer.MARKER);
      TemporalDevServer temporal = temporal(TemporalCli.locate(layout));
      if (running.isPresent()) {
        System.out.println("temporal  already running (pid " + running.get() + ")  " + temporal.address());
      } else {
        temporal.start(true, Duration.ofSeconds(120));
        writePid("temporal", temporal.pid());
        System.out.println("temporal  started (pid " + temporal.pid() + ")  " + temporal.address());
      }
      System.out.println("web ui    " + temporal.uiUrl() + "/namespaces/" + temporal.namespace() + "/workflows");
    }
    Path keys = PayloadKeyFile.localStack(layout);
    System.out.println("keys      " + keys + (PayloadKeyFile.createIfAbsent(keys) ? " (payload key generated)" : ""));
    System.out.println("logs      " + data("logs"));
    DevCredentials.ensure(data(DevCredentials.FILE)).forEach(System.out::println);
    return 0;
  }

  int down() {
    List<String> stopped = new ArrayList<>();
    livePid("temporal", TemporalDevServer.MARKER).ifPresent(pid -> {
      if (Processes.stop(pid, TemporalDevServer.MARKER, Duration.ofSeconds(15))) {
        stopped.add("temporal (pid " + pid + ")");
      }
    });
    livePid("neo4j", Neo4jServer.MAIN_CLASS).ifPresent(pid -> {
      if (Processes.stop(pid, Neo4jServer.MAIN_CLASS, Duration.ofSeconds(60))) {
        stopped.add("neo4j (pid " + pid + ")");
      }
    });
    PostgresServer postgres = postgres();
    Optional<Long> pgPid = postgres.pid();
    if (postgres.stop()) {
      stopped.add("postgres (pid " + pgPid.orElse(-1L) + ")");
    }
    try {
      Files.deleteIfExists(pidFile("temporal"));
      Files.deleteIfExists(pidFile("neo4j"));
    } catch (IOException ignored) {
      // stale pid files are checked by command line anyway
    }
    System.out.println(stopped.isEmpty() ? "nothing of ours was running" : "stopped " + String.join(", ", stopped));
    return 0;
  }

  int status() {
    boolean allUp = true;
    if (external("GRAPHSYNC_PG_URL")) {
      System.out.println("postgres  external  " + env.get("GRAPHSYNC_PG_URL"));
    } else {
      PostgresServer postgres = postgres();
      Optional<Long> pid = postgres.pid();
      allUp &= pid.isPresent();
      System.out.println("postgres  " + pid.map(p -> "running (pid " + p + ")").orElse("stopped") + "  "
          + postgres.jdbcUrl() + "  log " + postgres.settings().log());
    }
    if (external("GRAPHSYNC_NEO4J_URI")) {
      System.out.println("neo4j     external  " + env.get("GRAPHSYNC_NEO4J_URI"));
    } else {
      Neo4jServer neo4j = neo4j();
      Optional<Long> pid = livePid("neo4j", Neo4jServer.MAIN_CLASS);
      allUp &= pid.isPresent();
      System.out.println("neo4j     " + pid.map(p -> "running (pid " + p + ")").orElse("stopped") + "  "
          + neo4j.boltUri() + "  log " + neo4j.settings().log());
    }
    if (external("GRAPHSYNC_TEMPORAL_ADDRESS")) {
      System.out.println("temporal  external  " + env.get("GRAPHSYNC_TEMPORAL_ADDRESS"));
    } else {
      Optional<Long> pid = livePid("temporal", TemporalDevServer.MARKER);
      allUp &= pid.isPresent();
      TemporalDevServer temporal = temporal(TemporalCli.localInstall(layout));
      System.out.println("temporal  " + pid.map(p -> "running (pid " + p + ")").orElse("stopped") + "  "
          + temporal.address() + "  web ui " + temporal.uiUrl() + "  log " + temporal.settings().log());
    }
    return allUp ? 0 : 3;
  }

  /** Registers graphsync's search attributes on a real cluster (the dev server registers them itself). */
  int registerSearchAttributes(List<String> args) {
    String address = get("GRAPHSYNC_TEMPORAL_ADDRESS", "127.0.0.1:" + port("GRAPHSYNC_TEMPORAL_PORT", 7233));
    String namespace = get("GRAPHSYNC_TEMPORAL_NAMESPACE", "default");
    for (int i = 0; i + 1 < args.size(); i += 2) {
      switch (args.get(i)) {
        case "--address" -> address = args.get(i + 1);
        case "--namespace" -> namespace = args.get(i + 1);
        default -> throw new DevStackException("unknown option " + args.get(i));
      }
    }
    Path cli = TemporalCli.locate(layout);
    for (Map.Entry<String, String> attribute : TemporalDevServer.SEARCH_ATTRIBUTES.entrySet()) {
      Processes.Result result = Processes.run(List.of(cli.toString(), "operator", "search-attribute", "create",
              "--address", address, "--namespace", namespace,
              "--name", attribute.getKey(), "--type", attribute.getValue()),
          Map.of(), Duration.ofSeconds(30));
      boolean exists = result.output().contains("already");
      if (!result.ok() && !exists) {
        throw new DevStackException("registering " + attribute.getKey() + " failed: " + result.output());
      }
      System.out.println(attribute.getKey() + " (" + attribute.getValue() + ") "
          + (exists ? "already registered" : "registered") + " on " + address + "/" + namespace);
    }
    return 0;
  }
}
