package io.graphsync.app.sync;

import io.graphsync.activities.metrics.SyncFailure;
import io.graphsync.activities.metrics.SyncMetrics;
import io.graphsync.activities.metrics.SyncPath;
import io.graphsync.workflows.sync.ChangeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sync activities' meters (docs/sync.md, Metrics): {@code graphsync.sync.latency}, a timer with a percentile
 * histogram from a change's PostgreSQL commit ({@link ChangeEvent#timestamp()}) to its graph write, and
 * {@code graphsync.sync.failures}, failed write attempts by failure type. Tags: {@code path} ({@code per-change},
 * {@code batch}), {@code lane} (the task queue), {@code entity_type}, {@code applied}; {@code type} and
 * {@code retryable} for failures.
 */
final class SyncMeters implements SyncMetrics {

  static final String LATENCY = "graphsync.sync.latency";
  static final String FAILURES = "graphsync.sync.failures";

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<LatencyKey, Timer> timers = new ConcurrentHashMap<>();
  private final Map<FailureKey, Counter> counters = new ConcurrentHashMap<>();

  SyncMeters(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  @Override
  public void written(SyncPath path, String lane, ChangeEvent event, boolean applied) {
    if (event.timestamp() == null) {
      return;
    }
    // a worker clock behind PostgreSQL's would give a negative latency: count it as none
    Duration latency = Duration.between(event.timestamp(), clock.instant());
    timers.computeIfAbsent(new LatencyKey(path, tag(lane), tag(event.entityType()), applied), this::timer)
        .record(latency.isNegative() ? Duration.ZERO : latency);
  }

  @Override
  public void failed(SyncPath path, String lane, String entityType, SyncFailure failure) {
    counters.computeIfAbsent(new FailureKey(path, tag(lane), tag(entityType), failure.type(), failure.retryable()),
        this::counter).increment();
  }

  private Timer timer(LatencyKey key) {
    return Timer.builder(LATENCY)
        .description("PostgreSQL commit of a change to its graph write (applied=false: stale, duplicate, superseded"
            + " or its row gone)")
        .tag("path", key.path().tag())
        .tag("lane", key.lane())
        .tag("entity_type", key.entityType())
        .tag("applied", Boolean.toString(key.applied()))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofHours(1))
        .register(registry);
  }

  private Counter counter(FailureKey key) {
    return Counter.builder(FAILURES)
        .description("failed attempts to write changes to the graph, by failure type (retryable=false: the change "
            + "goes FAILED, or to its own sync workflow from a batch)")
        .tag("path", key.path().tag())
        .tag("lane", key.lane())
        .tag("entity_type", key.entityType())
        .tag("type", key.type())
        .tag("retryable", Boolean.toString(key.retryable()))
        .register(registry);
  }

  private static String tag(String value) {
    return value == null || value.isEmpty() ? "unknown" : value;
  }

  private record LatencyKey(SyncPath path, String lane, String entityType, boolean applied) {}

  private record FailureKey(SyncPath path, String lane, String entityType, String type, boolean retryable) {}
}
