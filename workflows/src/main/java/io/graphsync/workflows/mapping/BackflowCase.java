package io.graphsync.workflows.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One declared case of the flow from Neo4j back to PostgreSQL. Exactly one of {@code label} (nodes of a mapped
 * entity table) or {@code type} (relationships of a mapped join table) is set; the table, the key and the columns are
 * those of that forward mapping, read backwards. Nothing else in the graph is ever written to PostgreSQL.
 *
 * @param label nodes of this label flow back into the table that maps to it
 * @param type relationships of this type flow back into the join table that maps to it
 * @param policy what happens when both sides changed the entity; default {@link ConflictPolicy#POSTGRES_WINS}
 * @param properties the mapped properties that flow back (entity tables); empty = every mapped property
 */
public record BackflowCase(
    @JsonProperty("label") String label,
    @JsonProperty("type") String type,
    @JsonProperty("policy") ConflictPolicy policy,
    @JsonProperty("properties") List<String> properties) {

  public BackflowCase {
    policy = policy == null ? ConflictPolicy.POSTGRES_WINS : policy;
    properties = properties == null ? List.of() : List.copyOf(properties);
  }

  /** Whether this case is about relationships (a join table) rather than nodes. */
  public boolean relationship() {
    return type != null;
  }

  /** The label or relationship type, for messages and ids. */
  public String name() {
    return relationship() ? type : label;
  }
}
