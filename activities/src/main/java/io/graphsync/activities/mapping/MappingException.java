package io.graphsync.activities.mapping;

import java.util.List;

/** A mapping that cannot be loaded or does not fit the database; carries every problem found, not just the first. */
public class MappingException extends RuntimeException {

  private final List<String> errors;

  public MappingException(List<String> errors) {
    super(message(errors));
    this.errors = List.copyOf(errors);
  }

  public MappingException(String error, Throwable cause) {
    super(message(List.of(error)), cause);
    this.errors = List.of(error);
  }

  /** Each problem as one sentence. */
  public List<String> errors() {
    return errors;
  }

  private static String message(List<String> errors) {
    if (errors.size() == 1) {
      return "invalid graph mapping: " + errors.get(0);
    }
    return "invalid graph mapping (" + errors.size() + " problems):\n  - " + String.join("\n  - ", errors);
  }
}
