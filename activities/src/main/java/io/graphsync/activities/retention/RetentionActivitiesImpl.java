package io.graphsync.activities.retention;

import io.graphsync.activities.postgres.PostgresFailures;
import io.graphsync.workflows.retention.RetentionActivities;
import io.graphsync.workflows.retention.RetentionPolicy;
import io.graphsync.workflows.retention.RetentionSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired rows a batch per statement (autocommit: short transactions, nothing held between batches), so a
 * first run on a table that grew for months does not lock it. Only finished reconciliation runs expire; their
 * findings go first. Each kind with a null retention is kept.
 */
public class RetentionActivitiesImpl implements RetentionActivities {

  private static final Logger log = LoggerFactory.getLogger(RetentionActivitiesImpl.class);

  private static final String CUTOFF = "now() - (? * interval '1 second')";

  static final String FINDINGS = "DELETE FROM graphsync.reconciliation_finding WHERE id IN ("
      + "SELECT f.id FROM graphsync.reconciliation_finding f JOIN graphsync.reconciliation_run r ON r.id = f.run_id "
      + "WHERE r.status = 'FINISHED' AND r.finished_at < " + CUTOFF + " LIMIT ?)";

  static final String RUNS = "DELETE FROM graphsync.reconciliation_run WHERE id IN (SELECT id FROM "
      + "graphsync.reconciliation_run WHERE status = 'FINISHED' AND finished_at < " + CUTOFF + " LIMIT ?)";

  static final String REJECTS = "DELETE FROM graphsync.capture_rejects WHERE id IN (SELECT id FROM "
      + "graphsync.capture_rejects WHERE rejected_at < " + CUTOFF + " LIMIT ?)";

  static final String AUDIT = "DELETE FROM graphsync.conflict_audit WHERE id IN (SELECT id FROM "
      + "graphsync.conflict_audit WHERE decided_at < " + CUTOFF + " LIMIT ?)";

  private final DataSource dataSource;

  public RetentionActivitiesImpl(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public RetentionSummary purgeExpired(RetentionPolicy policy) {
    long findings = deleteExpired(FINDINGS, policy.findings(), policy.batchSize());
    long runs = deleteExpired(RUNS, policy.findings(), policy.batchSize());
    long rejects = deleteExpired(REJECTS, policy.rejects(), policy.batchSize());
    long audit = deleteExpired(AUDIT, policy.conflictAudit(), policy.batchSize());
    RetentionSummary summary = new RetentionSummary(runs, findings, rejects, audit);
    log.info("retention: deleted {}", summary);
    return summary;
  }

  private long deleteExpired(String sql, Duration retention, int batchSize) {
    if (retention == null) {
      return 0;
    }
    long deleted = 0;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      try (PreparedStatement delete = connection.prepareStatement(sql)) {
        delete.setLong(1, retention.toSeconds());
        delete.setInt(2, batchSize);
        int batch;
        do {
          batch = delete.executeUpdate();
          deleted += batch;
        } while (batch == batchSize);
      }
    } catch (SQLException e) {
      // a retry (of a transient failure) keeps what was deleted and carries on
      throw PostgresFailures.failure("retention", e);
    }
    return deleted;
  }
}
