package io.graphsync.starters.cdc;

import java.time.Instant;

/**
 * Why the capture is not streaming: for health details and the logs.
 *
 * @param message the last error, with its causes
 * @param since when the engine first failed in this run of failures
 * @param restarts how often the engine was restarted since
 */
public record CaptureFailure(String message, Instant since, int restarts) {}
