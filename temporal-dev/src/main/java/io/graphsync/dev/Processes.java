package io.graphsync.dev;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Starting, running and stopping the stack's processes. */
final class Processes {

  private Processes() {}

  /** The result of a command that ran to completion. */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs a command to completion, output (stdout + stderr) captured. */
  static Result run(List<String> command, Map<String, String> env, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      Path out = Files.createTempFile("graphsync-cmd", ".log");
      try {
        builder.redirectOutput(out.toFile());
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new DevStackException("timed out after " + timeout.toSeconds() + "s: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip());
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new DevStackException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while running " + command.get(0), e);
    }
  }

  /** Runs a command and fails with its output when it exits non-zero. */
  static String runOrFail(List<String> command, Map<String, String> env, Duration timeout, String what) {
    Result result = run(command, env, timeout);
    if (!result.ok()) {
      throw new DevStackException(what + " failed (exit " + result.exitCode() + "): " + result.output());
    }
    return result.output();
  }

  /**
   * Starts a long-running process with stdout and stderr appended to a log file. With {@code detach}, the
   * process gets its own session (setsid), so it outlives the starting JVM and ignores the terminal's Ctrl-C.
   */
  static Process startLogged(List<String> command, Map<String, String> env, Path log, boolean detach) {
    List<String> full = new ArrayList<>();
    if (detach) {
      full.add("setsid");
    }
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full);
    builder.environment().putAll(env);
    try {
      Files.createDirectories(log.getParent());
      builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      if (detach) {
        builder.redirectInput(new File("/dev/null"));
      }
      return builder.start();
    } catch (IOException e) {
      throw new DevStackException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
  }

  /** The command line of a live process, if it is alive. */
  static Optional<String> commandLine(long pid) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .map(handle -> readCmdline(pid).orElseGet(() -> handle.info().commandLine().orElse("")));
  }

  private static Optional<String> readCmdline(long pid) {
    try {
      byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return Optional.of(new String(bytes, StandardCharsets.UTF_8).replace('\0', ' ').strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Stops the process with this pid, but only if its command line still contains {@code marker} (a pid file can
   * outlive its process, and the pid can be reused). SIGTERM first, SIGKILL after the grace period.
   *
   * @return whether a process of ours was stopped
   */
  static boolean stop(long pid, String marker, Duration grace) {
    Optional<String> cmd = commandLine(pid);
    if (cmd.isEmpty() || !cmd.get().contains(marker)) {
      return false;
    }
    ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
    handle.destroy();
    try {
      handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception timeoutOrInterrupt) {
      handle.destroyForcibly();
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported by the caller's status check
      }
    }
    return true;
  }

  /** Whether the current user is root (then PostgreSQL must run as another user). */
  static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The last lines of a log file, for an error message. */
  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }
}
