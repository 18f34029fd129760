package io.graphsync.workflows.backflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;

/**
 * The poller's durable state, carried across continue-as-new: its watermark, its settings and its counts.
 *
 * @param watermark the newest {@code neo4jModifiedAt} polled so far (null: from the beginning)
 * @param interval the pause between polls that found nothing more
 * @param overlap how far before the watermark each poll looks again
 * @param pageSize at most this many changes per case and poll
 * @param polls polls so far (all runs)
 * @param started workflows started so far (all runs)
 */
public record PollerState(
    @JsonProperty("watermark") Instant watermark,
    @JsonProperty("interval") Duration interval,
    @JsonProperty("overlap") Duration overlap,
    @JsonProperty("pageSize") int pageSize,
    @JsonProperty("polls") long polls,
    @JsonProperty("started") long started) {

  /** The defaults: every 5 s, 10 s overlap, 500 changes per case and poll. */
  public static PollerState initial(Duration interval) {
    return new PollerState(null, interval, Duration.ofSeconds(10), 500, 0, 0);
  }

  PollerState polled(Instant newWatermark, int newlyStarted) {
    return new PollerState(newWatermark, interval, overlap, pageSize, polls + 1, started + newlyStarted);
  }
}
