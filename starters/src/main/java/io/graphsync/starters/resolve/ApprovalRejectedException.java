package io.graphsync.starters.resolve;

import io.graphsync.workflows.resolve.ConflictState;

/** {@link ConflictClient#approve} did not signal: the approval cannot be acted on, and why. */
public class ApprovalRejectedException extends RuntimeException {

  /** Why; the REST API answers 400, 404 and 409 respectively. */
  public enum Reason {
    /** No resolution, no {@code by}, a revision below 1. */
    MALFORMED,
    /** No open conflict for that entity. */
    NO_OPEN_CONFLICT,
    /** The approval names an older revision, or the conflict is already being resolved. */
    STALE
  }

  private final Reason reason;
  private final transient ConflictState state;

  public ApprovalRejectedException(Reason reason, String message, ConflictState state) {
    super(message);
    this.reason = reason;
    this.state = state;
  }

  public Reason reason() {
    return reason;
  }

  /** The conflict as it is, when there is one (for STALE: the current revision to approve). */
  public ConflictState state() {
    return state;
  }
}
