package io.graphsync.starters.cdc;

import java.time.Instant;

/**
 * Why the capture is not streaming: for health details and the logs.
 *
 * @param message the last error, with its causes
 * @param since when the engine first failed in this run of failures
 * @param restarts how often the capture retried since (engine restarts, and lease attempts while PostgreSQL is
 *     unreachable)
 */
public record CaptureFailure(String message, Instant since, int restarts) {}
