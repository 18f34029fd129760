package io.graphsync.dev;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A real Neo4j 5 (LTS) server with Bolt and authentication, in its own JVM with its own classpath (module
 * {@code temporal-dev/neo4j-server}): Neo4j's server classpath conflicts with Spring Boot's in one JVM.
 */
public final class Neo4jServer implements AutoCloseable {

  static final String MAIN_CLASS = "io.graphsync.dev.neo4j.Neo4jServerMain";
  private static final String READY = "NEO4J READY";
  private static final String FAILED = "NEO4J FAILED";

  private final ProjectLayout layout;
  private final Settings settings;
  private Process process;

  /** Settings; {@code heap} is a JVM size such as {@code 512m}. */
  public record Settings(Path dataDir, Path log, int boltPort, String password, String heap, String pageCache) {}

  public Neo4jServer(ProjectLayout layout, Settings settings) {
    this.layout = layout;
    this.settings = settings;
  }

  /** The runtime classpath of the neo4j-server module, building the module first if needed. */
  String classpath() {
    Path module = layout.neo4jServerModule();
    Path classpathFile = module.resolve("target/neo4j-server.classpath");
    Path classes = module.resolve("target/classes");
    if (!Files.isRegularFile(classpathFile) || !Files.isDirectory(classes.resolve("io"))) {
      System.err.println("building " + module + " (Neo4j's own classpath) ...");
      Processes.runOrFail(List.of(layout.root().resolve("mvnw").toString(), "-q", "-B",
              "-f", module.resolve("pom.xml").toString(), "-DskipTests", "package"),
          Map.of(), Duration.ofMinutes(15), "building temporal-dev/neo4j-server");
    }
    try {
      return Files.readString(classpathFile, StandardCharsets.UTF_8).strip() + ":" + classes;
    } catch (IOException e) {
      throw new DevStackException("cannot read " + classpathFile + ": " + e.getMessage(), e);
    }
  }

  List<String> command(boolean watchStdin) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java,
        "-Xms" + settings.heap(), "-Xmx" + settings.heap(),
        "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-Dgraphsync.dev.neo4j=true",
        "-cp", classpath(), MAIN_CLASS,
        "--bolt-port", Integer.toString(settings.boltPort()),
        "--data-dir", settings.dataDir().toString(),
        "--password", settings.password(),
        "--page-cache", settings.pageCache()));
    if (watchStdin) {
      command.add("--watch-stdin");
    }
    return command;
  }

  /**
   * Starts the server and waits for its ready line. Detached (the CLI), it outlives this JVM; attached (tests),
   * it watches its stdin and stops when this JVM goes away, even on a crash.
   */
  public Neo4jServer start(boolean detach, Duration timeout) {
    Ports.requireFree(settings.boltPort(), "Neo4j Bolt", "GRAPHSYNC_NEO4J_BOLT_PORT");
    try {
      Files.createDirectories(settings.dataDir());
      Files.createDirectories(settings.log().getParent());
    } catch (IOException e) {
      throw new DevStackException("cannot create " + settings.dataDir() + ": " + e.getMessage(), e);
    }
    long offset = logSize();
    process = Processes.startLogged(command(!detach), Map.of(), settings.log(), detach);
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      String fresh = logSince(offset);
      if (fresh.contains(READY)) {
        return this;
      }
      if (fresh.contains(FAILED) || !process.isAlive()) {
        throw new DevStackException("Neo4j did not start; its log " + settings.log() + " ends with:\n"
            + Processes.tail(settings.log(), 20));
      }
      Ports.sleep(200);
    }
    close();
    throw new DevStackException("Neo4j was not ready within " + timeout.toSeconds() + "s; see " + settings.log());
  }

  private long logSize() {
    try {
      return Files.exists(settings.log()) ? Files.size(settings.log()) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private String logSince(long offset) {
    try (RandomAccessFile file = new RandomAccessFile(settings.log().toFile(), "r")) {
      if (file.length() <= offset) {
        return "";
      }
      file.seek(offset);
      byte[] bytes = new byte[(int) Math.min(file.length() - offset, 1 << 20)];
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  public long pid() {
    return process.pid();
  }

  public String boltUri() {
    return "bolt://127.0.0.1:" + settings.boltPort();
  }

  public String user() {
    return "neo4j";
  }

  public String password() {
    return settings.password();
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      Processes.stop(process.pid(), MAIN_CLASS, Duration.ofSeconds(30));
    }
  }
}
