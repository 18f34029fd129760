package io.graphsync.workflows.resolve;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a conflict ended.
 *
 * @param resolution what was decided
 * @param by who decided
 * @param applied whether a store was changed (false for DISMISS, or when the sides already agreed)
 * @param detail what was done, e.g. {@code users row updated to pg_version 4}
 */
public record ResolutionOutcome(
    @JsonProperty("resolution") Resolution resolution,
    @JsonProperty("by") String by,
    @JsonProperty("applied") boolean applied,
    @JsonProperty("detail") String detail) {}
