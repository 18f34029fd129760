package io.graphsync.activities.neo4j;

/** A row value that cannot become the property value its conversion asks for; the message says why. */
final class InvalidValueException extends RuntimeException {

  InvalidValueException(String reason) {
    super(reason);
  }

  InvalidValueException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
