package io.graphsync.activities.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.retention.RetentionPolicy;
import io.graphsync.workflows.retention.RetentionSummary;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Retention on a real PostgreSQL: old records go, recent ones and running reconciliations stay. */
@ExtendWith(GraphsyncExtension.class)
class RetentionActivitiesIT {

  private static DataSource dataSource;
  private static Sql sql;

  @BeforeAll
  static void migrate(Sql migrated) {
    sql = migrated;
    dataSource = migrated.dataSource();
  }

  @Test
  void givenOldAndRecentRecords_whenPurged_onlyTheExpiredOnesGo() throws SQLException {
    String tag = UUID.randomUUID().toString();
    long oldRun = run(tag, "FINISHED", "40 days");
    long recentRun = run(tag, "FINISHED", "1 day");
    long runningRun = run(tag, "RUNNING", null);
    for (long run : new long[] {oldRun, recentRun, runningRun}) {
      finding(run, tag + "-a");
      finding(run, tag + "-b");
    }
    sql.execute("INSERT INTO graphsync.capture_rejects (slot_name, error, rejected_at) VALUES "
        + "('" + tag + "', 'old', now() - interval '40 days'), ('" + tag + "', 'recent', now())");
    sql.execute("INSERT INTO graphsync.conflict_audit (workflow_id, run_id, entity_table, entity_type, entity_id, "
        + "resolution, decided_by, revision, applied, decided_at) VALUES "
        + "('" + tag + "-old', 'r', 'concepts', 'Concept', 'c1', 'DISMISS', 'ops', 1, true, "
        + "now() - interval '400 days'), "
        + "('" + tag + "-new', 'r', 'concepts', 'Concept', 'c1', 'DISMISS', 'ops', 1, true, "
        + "now() - interval '40 days')");

    RetentionSummary summary = new RetentionActivitiesImpl(dataSource).purgeExpired(
        new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(30), Duration.ofDays(365), 1));

    assertThat(count("graphsync.reconciliation_run WHERE workflow_id = '" + tag + "'")).isEqualTo(2);
    assertThat(count("graphsync.reconciliation_run WHERE id = " + oldRun)).isZero();
    assertThat(count("graphsync.reconciliation_finding WHERE run_id = " + oldRun)).isZero();
    assertThat(count("graphsync.reconciliation_finding WHERE run_id IN (" + recentRun + ", " + runningRun + ")"))
        .isEqualTo(4);
    assertThat(count("graphsync.capture_rejects WHERE slot_name = '" + tag + "'")).isEqualTo(1);
    assertThat(count("graphsync.conflict_audit WHERE workflow_id LIKE '" + tag + "%'")).isEqualTo(1);
    assertThat(summary.findings()).isGreaterThanOrEqualTo(2);
    assertThat(summary.reconciliationRuns()).isGreaterThanOrEqualTo(1);
    assertThat(summary.rejects()).isGreaterThanOrEqualTo(1);
    assertThat(summary.conflictAudit()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void givenNoRetention_whenPurged_nothingIsDeleted() throws SQLException {
    String tag = UUID.randomUUID().toString();
    sql.execute("INSERT INTO graphsync.capture_rejects (slot_name, error, rejected_at) VALUES "
        + "('" + tag + "', 'ancient', now() - interval '4000 days')");

    RetentionSummary summary = new RetentionActivitiesImpl(dataSource)
        .purgeExpired(new RetentionPolicy(null, null, null, 0));

    assertThat(summary).isEqualTo(new RetentionSummary(0, 0, 0, 0));
    assertThat(count("graphsync.capture_rejects WHERE slot_name = '" + tag + "'")).isEqualTo(1);
  }

  private static long run(String tag, String status, String age) throws SQLException {
    return ((Number) sql.value("INSERT INTO graphsync.reconciliation_run (workflow_id, "
        + "temporal_run_id, tables, status, started_at, finished_at) VALUES ('" + tag + "', '"
        + UUID.randomUUID() + "', '{concepts}', '" + status + "', now() - interval '41 days', "
        + (age == null ? "null" : "now() - interval '" + age + "'") + ") RETURNING id")).longValue();
  }

  private static void finding(long run, String entityId) throws SQLException {
    sql.execute("INSERT INTO graphsync.reconciliation_finding (run_id, finding_type, table_name, entity_type, "
        + "entity_id, detail, action) VALUES (" + run + ", 'MISSING_IN_NEO4J', 'concepts', 'Concept', '" + entityId
        + "', '{}', 'REPORTED')");
  }

  private static long count(String from) throws SQLException {
    return sql.count("SELECT count(*) FROM " + from);
  }
}
