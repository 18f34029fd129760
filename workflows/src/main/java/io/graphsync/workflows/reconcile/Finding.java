package io.graphsync.workflows.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.graphsync.workflows.resolve.PropertyDifference;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One difference between a row (or join row) and the graph. A comparison page returns them as candidates; the
 * re-check after the grace period returns the confirmed ones.
 *
 * @param type what was found
 * @param table the source table as the mapping names it
 * @param entityType the label (entity tables) or the relationship type (join tables), as in {@code ChangeEvent}
 * @param entityId the key as text; join tables {@code <from>|<to>}
 * @param tenantId the row's tenant, else the node's, or null
 * @param joinTable whether {@code table} is a join table (the graph element is a relationship)
 * @param inPostgres whether the row exists
 * @param inNeo4j whether the node / relationship exists (placeholders included)
 * @param rowVersion the row's {@code pg_version}; null without a row and for join tables
 * @param nodeVersion the node's {@code pgVersion}, or null
 * @param syncPosition the node's / relationship's {@code syncPosition} (the order key of the last applied change), or
 *     null when it has none (not in the graph, a placeholder, created in the graph)
 * @param neo4jVersion the node's {@code neo4jVersion}, or null
 * @param syncedFromPostgres the graph element was written by a sync: it has a {@code syncPosition} and is no
 *     placeholder. Only such orphans are deleted
 * @param reason one line for people, e.g. {@code node pgVersion 3 < row pg_version 5}
 * @param postgresHash the stable hash of the row's mapped properties in the graph's representation, or null
 * @param neo4jHash the stable hash of the node's mapped properties, or null
 * @param differences the mapped properties (and {@code tenantId}) that differ; long values shortened
 * @param relationships the foreign keys whose relationships differ
 * @param postgres the row's mapped properties in the graph's representation, only where a person needs both sides
 *     (a same-version attribute mismatch), else null
 * @param neo4j the node's mapped properties, as {@code postgres}
 * @param pendingRepair the workflow id of an earlier repair of this entity, at the same row version and within the
 *     repair cooldown, that has not reached the graph (its position is above the element's {@code syncPosition}):
 *     it failed or is still running, so another one would only fail or wait alongside it. Null otherwise, and in
 *     histories from before the field
 */
public record Finding(
    @JsonProperty("type") FindingType type,
    @JsonProperty("table") String table,
    @JsonProperty("entityType") String entityType,
    @JsonProperty("entityId") String entityId,
    @JsonProperty("tenantId") String tenantId,
    @JsonProperty("joinTable") boolean joinTable,
    @JsonProperty("inPostgres") boolean inPostgres,
    @JsonProperty("inNeo4j") boolean inNeo4j,
    @JsonProperty("rowVersion") Long rowVersion,
    @JsonProperty("nodeVersion") Long nodeVersion,
    @JsonProperty("syncPosition") Long syncPosition,
    @JsonProperty("neo4jVersion") Long neo4jVersion,
    @JsonProperty("syncedFromPostgres") boolean syncedFromPostgres,
    @JsonProperty("reason") String reason,
    @JsonProperty("postgresHash") String postgresHash,
    @JsonProperty("neo4jHash") String neo4jHash,
    @JsonProperty("differences") List<PropertyDifference> differences,
    @JsonProperty("relationships") List<RelationshipDifference> relationships,
    @JsonProperty("postgres") Map<String, Object> postgres,
    @JsonProperty("neo4j") Map<String, Object> neo4j,
    @JsonProperty("pendingRepair") String pendingRepair) {

  public Finding {
    differences = differences == null ? List.of() : List.copyOf(differences);
    relationships = relationships == null ? List.of() : List.copyOf(relationships);
  }

  /**
   * Whether a re-check still finds this difference in the same way: the same type, the same row {@code pg_version}
   * and the same {@code syncPosition} in the graph. A sync that reached either store in between changes one of them.
   */
  public boolean sameAs(Finding recheck) {
    return recheck != null && type == recheck.type && table.equals(recheck.table) && entityId.equals(recheck.entityId)
        && Objects.equals(rowVersion, recheck.rowVersion) && Objects.equals(syncPosition, recheck.syncPosition);
  }

  /** An attribute mismatch at the same {@code pg_version}: the node was edited in Neo4j; a person decides. */
  public boolean sameVersionConflict() {
    return type == FindingType.ATTRIBUTE_MISMATCH && rowVersion != null && rowVersion.equals(nodeVersion);
  }

  /** This finding with both sides' properties attached (for an escalation). */
  public Finding withSides(Map<String, Object> postgresSide, Map<String, Object> neo4jSide) {
    return new Finding(type, table, entityType, entityId, tenantId, joinTable, inPostgres, inNeo4j, rowVersion,
        nodeVersion, syncPosition, neo4jVersion, syncedFromPostgres, reason, postgresHash, neo4jHash, differences,
        relationships, postgresSide, neo4jSide, pendingRepair);
  }

  /** This finding with an earlier repair that has not reached the graph. */
  public Finding withPendingRepair(String workflowId) {
    return new Finding(type, table, entityType, entityId, tenantId, joinTable, inPostgres, inNeo4j, rowVersion,
        nodeVersion, syncPosition, neo4jVersion, syncedFromPostgres, reason, postgresHash, neo4jHash, differences,
        relationships, postgres, neo4j, workflowId);
  }
}
