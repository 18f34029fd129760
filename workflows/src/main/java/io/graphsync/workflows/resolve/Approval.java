package io.graphsync.workflows.resolve;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A person's decision, sent as the {@code approve} signal, e.g. with the CLI:
 * {@code --input '{"resolution":"KEEP_POSTGRES","by":"alice","comment":"graph edit was a test","revision":1}'}.
 *
 * @param resolution KEEP_POSTGRES, KEEP_NEO4J or DISMISS
 * @param by who decides (required: it goes into the audit record)
 * @param comment why, or null
 * @param revision the conflict revision the person looked at ({@code conflict()} query); when given and the conflict
 *     has been updated by a newer finding since, the approval is stale and rejected. Null: the current revision
 */
public record Approval(
    @JsonProperty("resolution") Resolution resolution,
    @JsonProperty("by") String by,
    @JsonProperty("comment") String comment,
    @JsonProperty("revision") Integer revision) {

  /** The longest {@code by} accepted (it is a name, not a text). */
  public static final int MAX_BY_LENGTH = 200;

  /**
   * Why this approval is malformed, or null when it is well-formed. The same check runs in the workflow (signals
   * from the Web UI and the CLI) and in the REST API (before it signals).
   */
  @JsonIgnore
  public String malformation() {
    if (resolution == null) {
      return "no resolution: send one of KEEP_POSTGRES, KEEP_NEO4J, DISMISS as \"resolution\"";
    }
    if (by == null || by.isBlank()) {
      return "no \"by\": say who decides (it goes into the audit record)";
    }
    if (by.length() > MAX_BY_LENGTH) {
      return "\"by\" is longer than " + MAX_BY_LENGTH + " characters";
    }
    if (revision != null && revision < 1) {
      return "\"revision\" must be 1 or more (the conflict query's revision), or left out";
    }
    return null;
  }
}
