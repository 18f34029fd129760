package io.graphsync.dev;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project is, and where the local stack keeps its state. */
public record ProjectLayout(Path root) {

  /**
   * The project root: the {@code graphsync.root} system property (set by the build), else the nearest folder
   * upwards from the working directory that holds {@code temporal-dev/neo4j-server/pom.xml}.
   */
  public static ProjectLayout detect() {
    String property = System.getProperty("graphsync.root");
    if (property != null && !property.isBlank()) {
      return new ProjectLayout(Path.of(property).toAbsolutePath().normalize());
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("temporal-dev/neo4j-server/pom.xml"))) {
        return new ProjectLayout(dir);
      }
    }
    throw new DevStackException(
        "cannot find the graphsync project root: run from inside the repository or set -Dgraphsync.root=<path>");
  }

  /** The git-ignored folder with the local stack's databases, logs and pid files, and installed tools. */
  public Path dataDir() {
    String override = System.getenv("GRAPHSYNC_DATA_DIR");
    return override != null && !override.isBlank() ? Path.of(override).toAbsolutePath() : root.resolve(".data");
  }

  public Path toolsDir() {
    return root.resolve(".data/tools");
  }

  public Path neo4jServerModule() {
    return root.resolve("temporal-dev/neo4j-server");
  }

  public Path script(String name) {
    return root.resolve("temporal-dev/bin").resolve(name);
  }
}
