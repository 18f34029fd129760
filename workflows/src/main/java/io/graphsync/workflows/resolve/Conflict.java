package io.graphsync.workflows.resolve;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A difference between a row and its node that must not be repaired automatically, with both sides.
 *
 * @param table the source table, e.g. {@code concepts}
 * @param entityType the label, e.g. {@code Concept}
 * @param entityId the row's key as text
 * @param tenantId the row's tenant, or null
 * @param kind why it needs a person, e.g. {@code SAME_VERSION_DIFFERENT_CONTENT}
 * @param pgVersion the row's {@code pg_version} when found
 * @param neo4jVersion the node's {@code neo4jVersion} when found (bumped by changes made inside Neo4j), or null
 * @param postgres the row's mapped properties, in the graph's representation
 * @param neo4j the node's mapped properties
 * @param differences the properties that differ
 * @param detectedAt when it was found
 * @param detectedBy the workflow id of the reconciliation run (or whoever reported it)
 */
public record Conflict(
    @JsonProperty("table") String table,
    @JsonProperty("entityType") String entityType,
    @JsonProperty("entityId") String entityId,
    @JsonProperty("tenantId") String tenantId,
    @JsonProperty("kind") String kind,
    @JsonProperty("pgVersion") Long pgVersion,
    @JsonProperty("neo4jVersion") Long neo4jVersion,
    @JsonProperty("postgres") Map<String, Object> postgres,
    @JsonProperty("neo4j") Map<String, Object> neo4j,
    @JsonProperty("differences") List<PropertyDifference> differences,
    @JsonProperty("detectedAt") Instant detectedAt,
    @JsonProperty("detectedBy") String detectedBy) {

  /** Same version, different content: the node was changed inside Neo4j. */
  public static final String SAME_VERSION_DIFFERENT_CONTENT = "SAME_VERSION_DIFFERENT_CONTENT";

  /** The id of the one {@link ManualResolutionWorkflow} of this entity. */
  public String workflowId() {
    return ManualResolutionWorkflow.workflowId(entityType, entityId);
  }

  /**
   * Whether {@code other} reports the same finding: the same kind, versions, sides and differences (when and by whom
   * it was found do not count). A re-report of the same finding does not bump the conflict's revision, and does not
   * reopen a dismissed conflict.
   */
  public boolean sameFindingAs(Conflict other) {
    return other != null && Objects.equals(kind, other.kind) && Objects.equals(pgVersion, other.pgVersion)
        && Objects.equals(neo4jVersion, other.neo4jVersion) && Objects.equals(postgres, other.postgres)
        && Objects.equals(neo4j, other.neo4j) && Objects.equals(differences, other.differences);
  }
}
