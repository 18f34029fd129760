package io.graphsync.activities.neo4j;

import io.graphsync.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.Neo4jException;

/** The non-retryable failures of graph writes: no retry can heal bad data or a table the mapping lacks. */
public final class GraphFailures {

  private static final int MAX_VALUE_LENGTH = 120;

  private GraphFailures() {}

  static ApplicationFailure invalidData(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_DATA.type());
  }

  static ApplicationFailure invalidValue(String table, String column, Object value, InvalidValueException reason) {
    return ApplicationFailure.newNonRetryableFailureWithCause("table '" + table + "', column '" + column
        + "': cannot convert " + describe(value) + ": " + reason.getMessage(), FailureType.INVALID_DATA.type(),
        reason);
  }

  /**
   * A CREATE or UPDATE whose row lacks a mapped column, or carries it with another type: the table changed after the
   * mapping was validated.
   */
  static ApplicationFailure schemaChanged(String table, String column) {
    return ApplicationFailure.newNonRetryableFailure("schema changed: mapped column '" + column + "' of table '"
        + table + "' is not in the change (dropped or renamed) or changed its type (altered) in PostgreSQL after the "
        + "mapping was validated. Update the mapping to the table's columns, restart worker-app (it validates the "
        + "mapping against the new types), then retry this sync (it re-reads the row); or skip it and backfill the "
        + "table", FailureType.SCHEMA_CHANGED.type());
  }

  static ApplicationFailure unmappedTable(String table) {
    return ApplicationFailure.newNonRetryableFailure("table '" + table + "' is not in the graph mapping",
        FailureType.UNMAPPED_TABLE.type());
  }

  /**
   * A write the graph refuses for the data itself — a constraint of the graph (a uniqueness or existence constraint
   * someone added to a label) rejects the row — as non-retryable {@code InvalidData}: a retry writes the same row
   * again. Any other Neo4j error is left to Temporal's retries.
   */
  public static RuntimeException classify(Neo4jException e) {
    if (e instanceof ClientException && e.code() != null
        && e.code().startsWith("Neo.ClientError.Schema.ConstraintValidationFailed")) {
      return ApplicationFailure.newNonRetryableFailureWithCause("the graph rejects the row (" + e.code() + "): "
          + e.getMessage(), FailureType.INVALID_DATA.type(), e);
    }
    return e;
  }

  /** The value, shortened, with its type: enough to find the row, not a dump of it. */
  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String text = String.valueOf(value);
    if (text.length() > MAX_VALUE_LENGTH) {
      text = text.substring(0, MAX_VALUE_LENGTH) + "…";
    }
    return "'" + text + "' (" + value.getClass().getSimpleName() + ")";
  }
}
