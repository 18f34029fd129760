package io.graphsync.workflows.resolve;

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
    @JsonProperty("revision") Integer revision) {}
