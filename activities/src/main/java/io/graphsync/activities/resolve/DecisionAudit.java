package io.graphsync.activities.resolve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.graphsync.activities.postgres.PostgresFailures;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.ConflictDecision;
import io.graphsync.workflows.resolve.RowUpdateResult;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit of every decision: one row in {@code graphsync.conflict_audit}, unique by workflow id and first run id,
 * so a second record of a decision is a no-op. KEEP_POSTGRES (after its graph write) and DISMISS are recorded on
 * their own ({@link #record}); KEEP_NEO4J records in the transaction of its row update ({@link #insert}).
 */
final class DecisionAudit {

  private static final Logger log = LoggerFactory.getLogger(DecisionAudit.class);

  private static final ObjectMapper JSON = JsonMapper.builder()
      .findAndAddModules()
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();

  static final String AUDIT_INSERT = """
      INSERT INTO graphsync.conflict_audit (workflow_id, run_id, entity_table, entity_type, entity_id, tenant_id, kind,
          resolution, decided_by, comment, revision, pg_version, neo4j_version, postgres, neo4j, differences, applied,
          detail, decided_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), CAST(? AS jsonb), ?, ?, ?)
      ON CONFLICT ON CONSTRAINT conflict_audit_one_decision_per_workflow DO NOTHING""";

  private static final String AUDIT_FIND =
      "SELECT applied, detail FROM graphsync.conflict_audit WHERE workflow_id = ? AND run_id = ?";

  private final DataSource dataSource;

  DecisionAudit(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Records {@code decision} in its own transaction. */
  void record(ConflictDecision decision) {
    try (Connection connection = dataSource.getConnection()) {
      int inserted = insert(connection, decision);
      log.info("conflict {}: {} by {} {}", decision.workflowId(), decision.approval().resolution(),
          decision.approval().by(), inserted == 1 ? "recorded" : "was already recorded");
    } catch (SQLException e) {
      throw PostgresFailures.failure("recording the decision of " + decision.workflowId(), e);
    }
  }

  /** What an earlier attempt of {@code decision} recorded, if one did. */
  static Optional<RowUpdateResult> recorded(Connection connection, ConflictDecision decision) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(AUDIT_FIND)) {
      statement.setString(1, decision.workflowId());
      statement.setString(2, decision.runId());
      try (ResultSet row = statement.executeQuery()) {
        return row.next()
            ? Optional.of(new RowUpdateResult(row.getBoolean(1), null, null, row.getString(2)))
            : Optional.empty();
      }
    }
  }

  /** Inserts the audit row in the caller's transaction; 0 when the decision was recorded already. */
  static int insert(Connection connection, ConflictDecision decision) throws SQLException {
    Conflict conflict = decision.conflict();
    try (PreparedStatement statement = connection.prepareStatement(AUDIT_INSERT)) {
      statement.setString(1, decision.workflowId());
      statement.setString(2, decision.runId());
      statement.setString(3, conflict.table());
      statement.setString(4, conflict.entityType());
      statement.setString(5, conflict.entityId());
      statement.setString(6, conflict.tenantId());
      statement.setString(7, conflict.kind());
      statement.setString(8, decision.approval().resolution().name());
      statement.setString(9, decision.approval().by());
      statement.setString(10, decision.approval().comment());
      statement.setInt(11, decision.revision());
      statement.setObject(12, conflict.pgVersion(), Types.BIGINT);
      statement.setObject(13, conflict.neo4jVersion(), Types.BIGINT);
      statement.setString(14, json(conflict.postgres()));
      statement.setString(15, json(conflict.neo4j()));
      statement.setString(16, json(conflict.differences()));
      statement.setBoolean(17, decision.applied());
      statement.setString(18, decision.detail());
      statement.setObject(19, (decision.decidedAt() == null ? Instant.now() : decision.decidedAt())
          .atOffset(ZoneOffset.UTC));
      return statement.executeUpdate();
    }
  }

  private static String json(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw ApplicationFailure.newNonRetryableFailure("cannot write the conflict as JSON: " + e.getOriginalMessage(),
          FailureType.INVALID_DATA.type());
    }
  }
}
