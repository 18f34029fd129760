package io.graphsync.workflows.sync;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The write-back of a sync's outcome into the source row.
 *
 * @param table the entity table (its key column comes from the mapping)
 * @param entityId the row's key value as text
 * @param version the {@code pg_version} that was synced: the row is only marked when it still has this version
 * @param status SUCCESS or FAILED
 * @param attempts how many attempts the sync took
 * @param error the last error, for FAILED
 * @param nodeId the Neo4j element id, for SUCCESS of a node
 */
public record SyncStatusUpdate(
    @JsonProperty("table") String table,
    @JsonProperty("entityId") String entityId,
    @JsonProperty("version") long version,
    @JsonProperty("status") SyncStatus status,
    @JsonProperty("attempts") int attempts,
    @JsonProperty("error") String error,
    @JsonProperty("nodeId") String nodeId) {}
