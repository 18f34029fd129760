package io.graphsync.workflows.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A foreign key whose relationships in the graph differ from the row.
 *
 * @param column the foreign-key column
 * @param type the relationship type
 * @param direction OUTGOING or INCOMING, seen from the row's node
 * @param targetLabel the label of the referenced nodes
 * @param expected the key the row references (empty when the column is null)
 * @param found the keys of the target nodes the graph links, sorted
 */
public record RelationshipDifference(
    @JsonProperty("column") String column,
    @JsonProperty("type") String type,
    @JsonProperty("direction") String direction,
    @JsonProperty("targetLabel") String targetLabel,
    @JsonProperty("expected") List<String> expected,
    @JsonProperty("found") List<String> found) {}
