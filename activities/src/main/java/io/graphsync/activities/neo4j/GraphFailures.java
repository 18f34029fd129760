package io.graphsync.activities.neo4j;

import io.graphsync.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;

/** The non-retryable failures of graph writes: no retry can heal bad data or a table the mapping lacks. */
final class GraphFailures {

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

  static ApplicationFailure unmappedTable(String table) {
    return ApplicationFailure.newNonRetryableFailure("table '" + table + "' is not in the graph mapping",
        FailureType.UNMAPPED_TABLE.type());
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
