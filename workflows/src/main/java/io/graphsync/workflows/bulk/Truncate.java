package io.graphsync.workflows.bulk;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A captured {@code TRUNCATE} of a mapped table.
 *
 * @param table the table as the mapping names it
 * @param entityType its label (entity table) or relationship type (join table)
 * @param position the WAL position of the truncate: every element synced from an earlier change goes
 * @param timestamp the commit time
 */
public record Truncate(
    @JsonProperty("table") String table,
    @JsonProperty("entityType") String entityType,
    @JsonProperty("position") long position,
    @JsonProperty("timestamp") Instant timestamp) {

  /** {@code truncate/<table>/<position>}: one workflow per captured truncate, the same on replay. */
  public String workflowId() {
    return "truncate/" + table + "/" + position;
  }
}
