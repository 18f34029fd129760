package io.graphsync.dev;

/** A dev-stack failure with one actionable sentence as its message. */
public class DevStackException extends RuntimeException {

  public DevStackException(String message) {
    super(message);
  }

  public DevStackException(String message, Throwable cause) {
    super(message, cause);
  }
}
