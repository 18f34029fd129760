package io.graphsync.workflows;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Every failure type graphsync raises as an {@code ApplicationFailure}, in one place. Non-retryable types are
 * problems that no retry can heal (bad data, a mapping error); transient problems (a store down, a deadlock) are
 * plain exceptions that Temporal retries with backoff, so they have no type here. (A change too large for Temporal
 * never becomes a failure: the capture leaves its data out and the graph writer re-reads the row.)
 */
public enum FailureType {
  /** A row value the mapping cannot convert, a missing key, a malformed event. */
  INVALID_DATA(false),
  /** The event names a table or column the mapping does not know. */
  UNMAPPED_TABLE(false),
  /**
   * A mapped column is missing from the change (dropped or renamed in PostgreSQL after the mapping was validated):
   * fixed by updating the mapping and restarting worker-app, then retrying.
   */
  SCHEMA_CHANGED(false),
  /** A FAILED sync that no operator retried or skipped within the decision timeout: reconciliation owns it. */
  DECISION_TIMEOUT(false),
  /**
   * The PostgreSQL role of the activities lacks a privilege (SQLState 42501): fixed by a grant (docs/security.md),
   * never by a retry.
   */
  PERMISSION_DENIED(false),
  /**
   * A PostgreSQL change of an element of a back-flow case that was edited in Neo4j and has not flowed back yet: the
   * change waits (retried with backoff) until the back-flow has decided, so it never overwrites the edit unseen.
   */
  BACKFLOW_PENDING(true);

  private final boolean retryable;

  FailureType(boolean retryable) {
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }

  /**
   * The type strings of every non-retryable type, for {@code RetryOptions.setDoNotRetry}: the one list every
   * activity option uses (derived from {@link #retryable()}, so a new type cannot be forgotten).
   */
  public static String[] nonRetryable() {
    return NonRetryable.TYPES.toArray(String[]::new);
  }

  /** Whether {@code type} (a recorded type string, e.g. {@code InvalidData}) is one of the non-retryable types. */
  public static boolean isNonRetryable(String type) {
    return NonRetryable.TYPES.contains(type);
  }

  /** The type string Temporal records, e.g. {@code InvalidData}. */
  public String type() {
    StringBuilder name = new StringBuilder();
    for (String part : name().split("_")) {
      name.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return name.toString();
  }

  /** Built on first use, after the constants exist. */
  private static final class NonRetryable {
    private static final List<String> TYPES = Arrays.stream(values()).filter(type -> !type.retryable())
        .map(FailureType::type).toList();
  }
}
