package io.graphsync.app.faults;

import java.time.Duration;
import java.util.List;

/**
 * How long the load runs, how hard it pushes, and how long each fault lasts. The faults come one after another
 * at fixed fractions of the load ({@link #KILL_WORKER_AT} …), each no earlier than the end of the one before, and
 * the load goes on until the last fault is over.
 *
 * @param load how long the mixed load runs (at least; see above)
 * @param workerDown how long worker-app stays dead after its SIGKILL before it is started again
 * @param neo4jOutage how long Neo4j stays stopped
 * @param convergeTimeout how long, after the load stopped, the graph may take to match every row
 * @param changesPerSecond the pace of the small changes
 * @param largeTransactionRows new rows per large transaction (0: none)
 * @param largeTransactionEvery how often a large transaction commits (the first after half of it)
 * @param workerJvmOptions worker-app's JVM options (heap; the short variant compiles with C1 only, which starts
 *     faster on a busy machine)
 */
record FaultPlan(
    Duration load, Duration workerDown, Duration neo4jOutage, Duration convergeTimeout, int changesPerSecond,
    int largeTransactionRows, Duration largeTransactionEvery, List<String> workerJvmOptions) {

  static final double KILL_WORKER_AT = 0.15;
  static final double RESTART_TEMPORAL_AT = 0.35;
  static final double STOP_NEO4J_AT = 0.5;
  static final double RESTART_POSTGRES_AT = 0.8;

  /** The full run of {@code temporal-dev/bin/faults}: Neo4j down a minute. */
  static FaultPlan full(int minutes, Duration neo4jOutage) {
    return new FaultPlan(Duration.ofMinutes(minutes), Duration.ofSeconds(5), neo4jOutage, Duration.ofMinutes(10),
        10, 2_000, Duration.ofSeconds(60), List.of("-Xmx768m"));
  }

  /** The short variant of the test suite (FaultRunIT): every fault once, Neo4j down 15 s. */
  static FaultPlan quick() {
    return new FaultPlan(Duration.ofSeconds(75), Duration.ofSeconds(2), Duration.ofSeconds(15),
        Duration.ofSeconds(150), 8, 500, Duration.ofSeconds(40), List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"));
  }

  Duration at(double fraction) {
    return Duration.ofMillis((long) (load.toMillis() * fraction));
  }
}
