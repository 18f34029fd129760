package io.graphsync.activities.postgres;

import io.graphsync.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.util.Set;

/**
 * What an activity throws for a {@link SQLException}, decided by its SQLState in one place: a problem no retry can
 * heal becomes a non-retryable {@code ApplicationFailure} of its {@link FailureType}; anything else (a serialization
 * failure, a deadlock, a lost connection, a lock timeout, a state not known here) a plain exception that Temporal
 * retries with backoff.
 *
 * <ul>
 *   <li>class 22 (data exception: a key or value the column refuses) and class 23 (integrity constraint) →
 *       {@link FailureType#INVALID_DATA}</li>
 *   <li>42501 (insufficient privilege) → {@link FailureType#PERMISSION_DENIED}</li>
 *   <li>42703 (undefined column) and 42P01 (undefined table): the schema no longer fits the validated mapping →
 *       {@link FailureType#SCHEMA_CHANGED}</li>
 *   <li>everything else, among them 40001, 40P01, class 08, class 53, 55P03, 57014 and class 57P → retried</li>
 * </ul>
 */
public final class PostgresFailures {

  /** SQLStates of class 42 (syntax error or access rule violation) that mean the mapped schema changed. */
  private static final Set<String> SCHEMA_CHANGED_STATES = Set.of("42703", "42P01");

  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  private PostgresFailures() {}

  /**
   * The failure type a SQLState maps to, or null for a state that is retried (including null: the driver did not
   * say, so the problem is taken to be transient).
   */
  public static FailureType typeOf(String sqlState) {
    if (sqlState == null || sqlState.length() != 5) {
      return null;
    }
    if (sqlState.startsWith("22") || sqlState.startsWith("23")) {
      return FailureType.INVALID_DATA;
    }
    if (INSUFFICIENT_PRIVILEGE.equals(sqlState)) {
      return FailureType.PERMISSION_DENIED;
    }
    if (SCHEMA_CHANGED_STATES.contains(sqlState)) {
      return FailureType.SCHEMA_CHANGED;
    }
    return null;
  }

  /** Whether Temporal should retry an activity that failed with {@code e}. */
  public static boolean retryable(SQLException e) {
    return typeOf(e.getSQLState()) == null;
  }

  /**
   * The exception to throw for {@code e}.
   *
   * @param what what was being done, for the message: {@code "reading the row '42' of table 'concepts'"}
   * @return a non-retryable {@code ApplicationFailure} of the state's {@link FailureType}, or an
   *     {@link IllegalStateException} (cause {@code e}) that Temporal retries
   */
  public static RuntimeException failure(String what, SQLException e) {
    String state = e.getSQLState();
    FailureType type = typeOf(state);
    if (type == null) {
      return new IllegalStateException(what + " failed (SQLState " + state + "): " + e.getMessage(), e);
    }
    String message = switch (type) {
      case PERMISSION_DENIED -> what + ": the PostgreSQL role of the activities may not do this (" + state + ": "
          + e.getMessage() + "); grant the privilege (docs/security.md), or, to let graphsync write the table's "
          + "mapped columns, add it to graphsync.postgres.runtime-writable-tables";
      case SCHEMA_CHANGED -> what + ": schema changed (" + state + ": " + e.getMessage() + "; a table or column was "
          + "dropped or renamed after the mapping was validated). Update the mapping to the table's columns, restart "
          + "worker-app, then retry";
      default -> what + ": PostgreSQL refused it (" + state + "): " + e.getMessage();
    };
    return ApplicationFailure.newNonRetryableFailure(message, type.type());
  }
}
