package io.graphsync.starters.codec;

/** The payload keys are missing, unreadable or malformed: a configuration error, reported at start. */
public final class PayloadKeyException extends RuntimeException {

  public PayloadKeyException(String message) {
    super(message);
  }

  public PayloadKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
