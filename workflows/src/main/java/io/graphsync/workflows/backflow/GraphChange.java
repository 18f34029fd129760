package io.graphsync.workflows.backflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One change made inside Neo4j to an element of a declared back-flow case, as the poller found it: the unit of work of
 * {@link Neo4jToPostgresSyncWorkflow}. It names the element and its version, not its values: the workflow's activity
 * reads the element as it is when it writes the row.
 *
 * @param caseName the label (nodes) or relationship type of the case
 * @param relationship whether the element is a relationship (a join-table row)
 * @param table the table the case writes
 * @param entityId the node's {@code id}, or the ids of the relationship's start and end nodes joined with {@code |}
 * @param tenantId the element's {@code tenantId}, or null
 * @param neo4jVersion the element's {@code neo4jVersion} as found
 * @param modifiedAt the element's {@code neo4jModifiedAt} as found
 */
public record GraphChange(
    @JsonProperty("caseName") String caseName,
    @JsonProperty("relationship") boolean relationship,
    @JsonProperty("table") String table,
    @JsonProperty("entityId") String entityId,
    @JsonProperty("tenantId") String tenantId,
    @JsonProperty("neo4jVersion") long neo4jVersion,
    @JsonProperty("modifiedAt") Instant modifiedAt) {

  /** The workflow id of the sync of this change: one workflow per element and version, the same when found again. */
  public String workflowId() {
    return "backflow/" + caseName + "/" + entityId + "/" + neo4jVersion;
  }
}
