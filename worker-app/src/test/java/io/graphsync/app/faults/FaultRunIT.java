package io.graphsync.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The short variant of {@code temporal-dev/bin/faults}: the same run on its own servers with shorter phases — one
 * SIGKILL of worker-app, one Temporal restart, Neo4j stopped 15 s, one PostgreSQL restart, under a mixed load with
 * large transactions — and nothing may be missing, orphaned or wrong in the graph afterwards.
 */
class FaultRunIT {

  private static final Logger LOG = LoggerFactory.getLogger(FaultRunIT.class);

  @Test
  void givenAMixedLoad_whenEachProcessFailsOnce_everyRowEndsInTheGraphWithItsValuesAndVersion() throws Exception {
    FaultRun.Report report = FaultRun.run(FaultPlan.quick(),
        Path.of("target", "faults-it-" + ProcessHandle.current().pid()).toAbsolutePath(), false);
    List<String> lines = report.lines();
    lines.forEach(line -> LOG.info("{}", line));
    String all = String.join("\n", lines);

    assertThat(report.faults()).as(all).extracting(FaultRun.Fault::description).satisfiesExactly(
        kill -> assertThat(kill).startsWith("kill -9 worker-app").contains("exit code 137"),
        temporal -> assertThat(temporal).startsWith("Temporal dev server restarted"),
        neo4j -> assertThat(neo4j).startsWith("Neo4j stopped for 15 s"),
        postgres -> assertThat(postgres).startsWith("PostgreSQL restarted"));
    // every fault came while the load ran
    assertThat(report.faults()).allSatisfy(fault -> assertThat(fault.at()).isLessThan(report.loadRan()));
    assertThat(report.load().statements()).as(all).isGreaterThan(300);
    assertThat(report.load().largeTransactions()).as(all).isGreaterThanOrEqualTo(1);
    assertThat(report.workerAlive()).as(all).isTrue();

    assertThat(report.converged()).as(all).isNotNull();
    GraphComparison.Result result = report.result();
    assertThat(result.rows()).as(all).isGreaterThan(1000).isEqualTo(result.nodes());
    assertThat(List.of(result.missing(), result.orphans(), result.wrong())).as(all).containsOnly(0L);
    assertThat(List.of(result.missingRelationships(), result.orphanRelationships(), result.wrongRelationships()))
        .as(all).containsOnly(0L);
    assertThat(report.syncStatuses()).as(all).containsOnlyKeys("SUCCESS");
  }
}
