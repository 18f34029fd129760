package io.graphsync.workflows.resolve;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** What a person decides about a {@link Conflict}. */
public enum Resolution {
  /** PostgreSQL is right: the graph is rewritten from the row. */
  KEEP_POSTGRES,
  /** Neo4j is right: the row is updated from the node (optimistic lock on {@code pg_version}). */
  KEEP_NEO4J,
  /** Nothing is changed; the conflict is closed as reviewed. */
  DISMISS;

  /**
   * Case-insensitive; an unknown name becomes null instead of a deserialization error, so that an approval with a
   * typo is rejected visibly by the workflow ("no resolution") rather than dropped by the SDK.
   */
  @JsonCreator
  public static Resolution fromJson(String name) {
    if (name == null) {
      return null;
    }
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }
}
