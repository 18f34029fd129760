package io.graphsync.app.faults;

import io.graphsync.activities.mapping.MappingLoader;
import io.graphsync.activities.mapping.MappingValidator;
import io.graphsync.dev.PayloadKeyFile;
import io.graphsync.dev.Ports;
import io.graphsync.dev.ProjectLayout;
import io.graphsync.workflows.mapping.GraphMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault run, {@code temporal-dev/bin/faults}: on its own servers (free ports), worker-app runs as a child JVM
 * under a mixed load while, one after another, worker-app is killed with SIGKILL and started again, the Temporal
 * dev server restarts (same SQLite file, same ports), Neo4j is stopped for a minute and PostgreSQL restarts (fast
 * shutdown). Then the load stops, and every row is compared with its node (presence, mapped values,
 * {@code pgVersion}) and every foreign key and join row with its relationship until they all match or the
 * convergence time is up. Reconciliation is off: what converges is the pipeline alone.
 */
public final class FaultRun {

  private static final Logger LOG = LoggerFactory.getLogger(FaultRun.class);
  private static final String SLOT = "graphsync";
  private static final Duration CAPTURE_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration COMPARE_EVERY = Duration.ofSeconds(3);
  /** After the graph matches, how long the write-back (sync_status) may take to catch up. */
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(60);

  /** One fault as it happened: when (from the start of the load), what, and how long it took to heal. */
  record Fault(Duration at, String description) {}

  /**
   * The outcome. {@code converged} is the time from the end of the load to the first comparison without a
   * difference; null when the convergence time ran out ({@code result} is then the last comparison).
   */
  record Report(
      FaultPlan plan, Duration loadRan, MixedLoad.Stats load, List<Fault> faults, GraphComparison.Result result,
      Duration converged, Map<String, Long> syncStatuses, boolean workerAlive, Path workDir) {

    boolean passed() {
      return converged != null && result.clean();
    }

    List<String> lines() {
      List<String> lines = new ArrayList<>();
      lines.add("=== graphsync fault run ===");
      lines.add(String.format(Locale.ROOT, "load         %s: %d statements of small changes at %d/s, %d large "
              + "transactions (%d rows), %d statements failed (servers down)", clock(loadRan), load.statements(),
          plan.changesPerSecond(), load.largeTransactions(), load.largeTransactionRows(), load.failures()));
      for (Fault fault : faults) {
        lines.add(String.format(Locale.ROOT, "fault  +%s  %s", clock(fault.at()), fault.description()));
      }
      lines.add(converged == null
          ? "NOT CONVERGED within " + clock(plan.convergeTimeout()) + " after the load stopped"
          : String.format(Locale.ROOT, "converged    %.1f s after the load stopped", converged.toMillis() / 1000.0));
      lines.add(result.nodeLine());
      lines.add(result.relationshipLine());
      lines.add("sync_status  " + syncStatuses + (workerAlive ? "" : "; worker-app is NOT running at the end"));
      result.examples().forEach(example -> lines.add("  " + example));
      if (!passed()) {
        lines.add("logs and data kept in " + workDir);
      }
      return lines;
    }
  }

  private FaultRun() {}

  public static void main(String[] args) throws Exception {
    int minutes = 6;
    int neo4jOutage = 60;
    boolean keep = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          System.out.println(help());
          System.exit(0);
        }
        case "--minutes" -> minutes = positive(args, ++i);
        case "--neo4j-outage" -> neo4jOutage = positive(args, ++i);
        case "--keep" -> keep = true;
        default -> {
          System.err.println("unknown argument " + args[i] + "\n\n" + help());
          System.exit(2);
        }
      }
    }
    Report report = run(FaultPlan.full(minutes, Duration.ofSeconds(neo4jOutage)),
        Path.of("target", "faults-" + ProcessHandle.current().pid()).toAbsolutePath(), keep);
    report.lines().forEach(System.out::println);
    System.exit(report.passed() ? 0 : 1);
  }

  static String help() {
    return """
        temporal-dev/bin/faults [--minutes N] [--neo4j-outage S] [--keep] [--help]

        A fault run you can repeat. On its own PostgreSQL, Neo4j and Temporal dev server (free ports, state in
        worker-app/target/faults-<pid>/, never the `stack up` servers), worker-app runs as a child JVM under a mixed
        load (inserts, updates, deletes over the sample tables, a large transaction every minute). During the load,
        one after another:
          at 15%  worker-app is killed with SIGKILL, and started again 5 s later
          at 35%  the Temporal dev server restarts (same SQLite file, same ports)
          at 50%  Neo4j stops for S seconds (default 60), then starts again
          at 80%  PostgreSQL restarts (pg_ctl stop -m fast; start)
        Then the load stops and every row is compared with its node (presence, mapped values, pgVersion), every
        foreign key and join row with its relationship, until they match or 10 minutes pass. Reconciliation is off.
        Prints `N rows, N nodes, missing M, orphans O, wrong W` and the time it took to converge; exits 1 if
        anything is missing, orphaned or wrong.

          --minutes N       how long the load runs (default 6)
          --neo4j-outage S  seconds Neo4j stays stopped (default 60)
          --keep            keep the servers' data and logs after a passing run (a failing run always keeps them)
        """;
  }

  private static int positive(String[] args, int i) {
    if (i >= args.length || !args[i].matches("[1-9][0-9]*")) {
      System.err.println(args[i - 1] + " needs a positive number\n\n" + help());
      System.exit(2);
    }
    return Integer.parseInt(args[i]);
  }

  /** Runs the plan on fresh servers under {@code workDir}; deletes it afterwards when the run passed and not kept. */
  static Report run(FaultPlan plan, Path workDir, boolean keep) throws Exception {
    ProjectLayout layout = ProjectLayout.detect();
    Path jar = WorkerAppProcess.findJar(layout.root());
    LOG.info("fault run: worker-app {}, servers and logs in {}", jar, workDir);
    Report report;
    try (FaultServers servers = FaultServers.start(layout, workDir)) {
      report = run(plan, servers, jar, workDir);
    }
    if (report.passed() && !keep) {
      deleteRecursively(workDir);
    }
    return report;
  }

  private static Report run(FaultPlan plan, FaultServers servers, Path jar, Path workDir) throws Exception {
    DataSource dataSource = servers.postgres().dataSource();
    Path payloadKeys = workDir.resolve("payload-keys");
    PayloadKeyFile.createIfAbsent(payloadKeys, "faults-1");
    List<String> arguments = List.of(
        "--spring.datasource.url=" + servers.postgres().jdbcUrl(),
        "--spring.datasource.username=" + servers.postgres().settings().user(),
        "--spring.datasource.password=" + servers.postgres().settings().password(),
        "--spring.neo4j.uri=" + servers.neo4j().boltUri(),
        "--spring.neo4j.authentication.password=" + servers.neo4j().password(),
        "--spring.temporal.connection.target=" + servers.temporal().address(),
        "--graphsync.security.payload-encryption.key-files=" + payloadKeys,
        "--server.port=" + Ports.free(),
        // the pipeline alone must converge: no scheduled reconciliation repairs behind its back
        "--graphsync.reconciliation.schedule-enabled=false");
    try (WorkerAppProcess worker = new WorkerAppProcess(jar, plan.workerJvmOptions(), arguments,
            workDir.resolve("worker-app.log")).start();
         Driver driver = GraphDatabase.driver(servers.neo4j().boltUri(),
             AuthTokens.basic(servers.neo4j().user(), servers.neo4j().password()))) {
      Duration firstStart = worker.awaitCapture(dataSource, SLOT, CAPTURE_TIMEOUT);
      LOG.info("worker-app (pid {}) streams after {} s; Temporal Web UI {}", worker.pid(), firstStart.toSeconds(),
          servers.temporal().uiUrl());
      GraphMapping mapping = new MappingValidator(dataSource)
          .validate(MappingLoader.load(MappingLoader.DEFAULT_LOCATION));
      GraphComparison comparison = new GraphComparison(dataSource, driver, mapping);

      List<Fault> faults = new ArrayList<>();
      Instant start = Instant.now();
      MixedLoad load = new MixedLoad(dataSource, plan.changesPerSecond(), plan.largeTransactionRows(),
          plan.largeTransactionEvery()).start();
      try {
        LOG.info("load started: {} small changes/s, {} rows per large transaction every {} s for {} s",
            plan.changesPerSecond(), plan.largeTransactionRows(), plan.largeTransactionEvery().toSeconds(),
            plan.load().toSeconds());

        sleepUntil(start.plus(plan.at(FaultPlan.KILL_WORKER_AT)));
        Duration at = since(start);
        long pid = worker.pid();
        int exit = worker.kill();
        LOG.info("kill -9 worker-app (pid {}): exit code {}", pid, exit);
        Thread.sleep(plan.workerDown().toMillis());
        worker.start();
        Duration streaming = worker.awaitCapture(dataSource, SLOT, CAPTURE_TIMEOUT);
        faults.add(new Fault(at, String.format(Locale.ROOT, "kill -9 worker-app (pid %d, exit code %d), started "
            + "again %d s later (pid %d), its capture streaming after another %.1f s", pid, exit,
            plan.workerDown().toSeconds(), worker.pid(), streaming.toMillis() / 1000.0)));
        LOG.info("{}", faults.get(faults.size() - 1).description());

        sleepUntil(start.plus(plan.at(FaultPlan.RESTART_TEMPORAL_AT)));
        at = since(start);
        Instant began = Instant.now();
        servers.restartTemporal();
        faults.add(new Fault(at, String.format(Locale.ROOT, "Temporal dev server restarted (same SQLite file, same "
            + "ports): serving again after %.1f s", seconds(began))));
        LOG.info("{}", faults.get(faults.size() - 1).description());

        sleepUntil(start.plus(plan.at(FaultPlan.STOP_NEO4J_AT)));
        at = since(start);
        servers.stopNeo4j();
        LOG.info("Neo4j stopped for {} s", plan.neo4jOutage().toSeconds());
        Thread.sleep(plan.neo4jOutage().toMillis());
        began = Instant.now();
        servers.startNeo4j();
        faults.add(new Fault(at, String.format(Locale.ROOT, "Neo4j stopped for %d s, then ready %.1f s after its "
            + "start", plan.neo4jOutage().toSeconds(), seconds(began))));
        LOG.info("{}", faults.get(faults.size() - 1).description());

        sleepUntil(start.plus(plan.at(FaultPlan.RESTART_POSTGRES_AT)));
        at = since(start);
        began = Instant.now();
        servers.restartPostgres();
        faults.add(new Fault(at, String.format(Locale.ROOT, "PostgreSQL restarted (pg_ctl stop -m fast, start) in "
            + "%.1f s", seconds(began))));
        LOG.info("{}", faults.get(faults.size() - 1).description());

        // the last fault heals under load too
        Instant end = start.plus(plan.load());
        Instant afterLastFault = Instant.now().plus(plan.at(1 - FaultPlan.RESTART_POSTGRES_AT));
        sleepUntil(end.isAfter(afterLastFault) ? end : afterLastFault);
      } finally {
        load.close();
      }
      Duration loadRan = since(start);
      LOG.info("load stopped after {} s: {}", loadRan.toSeconds(), load.stats());
      Report report = converge(plan, comparison, faults, load.stats(), loadRan, worker.isAlive(), workDir);
      if (!report.passed()) {
        LOG.info("workflows still open:\n{}", openWorkflows(servers));
      }
      return report;
    }
  }

  /** Compares until nothing differs or the convergence time is up; then waits briefly for the write-back. */
  private static Report converge(FaultPlan plan, GraphComparison comparison, List<Fault> faults,
      MixedLoad.Stats stats, Duration loadRan, boolean workerAlive, Path workDir) throws InterruptedException {
    Instant stopped = Instant.now();
    Instant deadline = stopped.plus(plan.convergeTimeout());
    Instant nextProgress = stopped;
    GraphComparison.Result result = null;
    Duration converged = null;
    while (converged == null && Instant.now().isBefore(deadline)) {
      try {
        Instant comparing = Instant.now();
        result = comparison.compare();
        if (result.clean()) {
          converged = since(stopped);
        } else if (Instant.now().isAfter(nextProgress)) {
          LOG.info("converging ({} s): {}; {} (compared in {} ms)", since(stopped).toSeconds(), result.nodeLine(),
              result.relationshipLine(), since(comparing).toMillis());
          nextProgress = Instant.now().plusSeconds(15);
        }
      } catch (SQLException | RuntimeException e) {
        LOG.info("comparison failed, trying again: {}", e.toString());
      }
      if (converged == null) {
        // a full comparison reads every row and node: leave the CPU to the pipeline in between
        Thread.sleep(COMPARE_EVERY.toMillis());
      }
    }
    if (result == null) {
      throw new IllegalStateException("no comparison succeeded within " + plan.convergeTimeout().toSeconds() + " s");
    }
    Map<String, Long> statuses = Map.of();
    // once the graph matches, the write-back gets a little longer; without a match there is nothing to wait for
    Instant statusDeadline = converged == null ? Instant.now() : Instant.now().plus(STATUS_TIMEOUT);
    do {
      try {
        statuses = comparison.syncStatuses();
      } catch (SQLException e) {
        LOG.info("reading sync statuses failed: {}", e.toString());
      }
      if (statuses.keySet().equals(Set.of("SUCCESS"))) {
        break;
      }
      Thread.sleep(1000);
    } while (Instant.now().isBefore(statusDeadline));
    return new Report(plan, loadRan, stats, List.copyOf(faults), result, converged, statuses, workerAlive, workDir);
  }

  /** What is still running in Temporal, with the last failure of each one's pending activity (the first five). */
  private static String openWorkflows(FaultServers servers) {
    try {
      String list = servers.temporal().cli("workflow", "list", "--query", "ExecutionStatus=\"Running\"", "--limit",
          "50");
      StringBuilder text = new StringBuilder(list);
      list.lines().skip(1).limit(5).map(line -> line.trim().split("\\s+")).filter(cells -> cells.length > 1)
          .forEach(cells -> {
            String failure = servers.temporal().cli("workflow", "describe", "--workflow-id", cells[1]).lines()
                .filter(line -> line.strip().startsWith("LastFailure") || line.strip().startsWith("Attempt"))
                .map(line -> line.strip().length() > 300 ? line.strip().substring(0, 300) + "…" : line.strip())
                .reduce((a, b) -> a + "; " + b).orElse("no pending activity");
            text.append("\n").append(cells[1]).append(": ").append(failure);
          });
      return text.toString();
    } catch (RuntimeException e) {
      return "(cannot list them: " + e.getMessage() + ")";
    }
  }

  private static void sleepUntil(Instant when) throws InterruptedException {
    long millis = Duration.between(Instant.now(), when).toMillis();
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }

  private static Duration since(Instant start) {
    return Duration.between(start, Instant.now());
  }

  private static double seconds(Instant start) {
    return since(start).toMillis() / 1000.0;
  }

  static String clock(Duration duration) {
    return String.format(Locale.ROOT, "%d:%02d", duration.toMinutes(), duration.toSecondsPart());
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }
}
