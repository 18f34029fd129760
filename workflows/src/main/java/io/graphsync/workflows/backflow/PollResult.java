package io.graphsync.workflows.backflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * What a poll found.
 *
 * @param changes elements whose {@code neo4jVersion} is ahead of their {@code backflowVersion}, oldest first
 * @param watermark the next poll's {@code since}: the newest {@code neo4jModifiedAt} seen, or the old watermark
 * @param more whether a case had more than {@code limit} changes (poll again at once)
 */
public record PollResult(
    @JsonProperty("changes") List<GraphChange> changes,
    @JsonProperty("watermark") Instant watermark,
    @JsonProperty("more") boolean more) {

  public PollResult {
    changes = changes == null ? List.of() : List.copyOf(changes);
  }
}
