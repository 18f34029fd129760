package io.graphsync.app.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.metrics.SyncFailure;
import io.graphsync.activities.metrics.SyncPath;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SyncMetersTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final SyncMeters meters = new SyncMeters(registry, Clock.fixed(NOW, ZoneOffset.UTC));

  private static ChangeEvent committedAt(Instant commit) {
    return ChangeEvent.builder(EventSource.POSTGRES, EventType.UPDATE).entity("concepts", "Concept", "c-1")
        .tenantId("tenant-1").correlationId("tx-1").timestamp(commit).data(Map.of("id", "c-1")).version(2L)
        .position(42L).build();
  }

  @Test
  void givenChangeCommittedTwoSecondsAgo_whenWritten_itRecordsTheLatencyTaggedWithoutIds() {
    meters.written(SyncPath.PER_CHANGE, "sync-default", committedAt(NOW.minusSeconds(2)), true);

    Timer timer = registry.get(SyncMeters.LATENCY)
        .tags("path", "per-change", "lane", "sync-default", "entity_type", "Concept", "applied", "true").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2000.0);
    assertThat(timer.getId().getTags()).extracting(tag -> tag.getKey())
        .containsExactlyInAnyOrder("path", "lane", "entity_type", "applied");
  }

  @Test
  void givenWorkerClockBehindPostgres_whenWritten_itRecordsZeroNotANegativeLatency() {
    meters.written(SyncPath.BATCH, "sync-bulk", committedAt(NOW.plusSeconds(1)), false);

    Timer timer = registry.get(SyncMeters.LATENCY).tags("path", "batch", "applied", "false").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isZero();
  }

  @Test
  void givenEventWithoutCommitTime_whenWritten_itRecordsNoLatency() {
    meters.written(SyncPath.PER_CHANGE, "sync-default", committedAt(null), true);

    assertThat(registry.find(SyncMeters.LATENCY).timers()).isEmpty();
  }

  @Test
  void givenFailures_whenCounted_itCountsThemByTypeAndRetryable() {
    meters.failed(SyncPath.PER_CHANGE, "sync-default", "Concept", new SyncFailure("InvalidData", false));
    meters.failed(SyncPath.PER_CHANGE, "sync-default", "Concept", new SyncFailure("InvalidData", false));
    meters.failed(SyncPath.BATCH, "sync-bulk", "mixed", new SyncFailure("ServiceUnavailableException", true));

    assertThat(registry.get(SyncMeters.FAILURES).tags("type", "InvalidData", "retryable", "false").counter().count())
        .isEqualTo(2.0);
    assertThat(registry.get(SyncMeters.FAILURES)
        .tags("path", "batch", "lane", "sync-bulk", "retryable", "true").counter().count()).isEqualTo(1.0);
  }

  @Test
  void givenALatency_whenScraped_itIsAPrometheusHistogramInSeconds() {
    meters.written(SyncPath.PER_CHANGE, "sync-default", committedAt(NOW.minusMillis(250)), true);
    meters.failed(SyncPath.PER_CHANGE, "sync-default", "Concept", new SyncFailure("InvalidData", false));

    String scrape = registry.scrape();

    assertThat(scrape).contains("graphsync_sync_latency_seconds_bucket{applied=\"true\",entity_type=\"Concept\","
        + "lane=\"sync-default\",path=\"per-change\",le=\"+Inf\"} 1");
    assertThat(scrape).contains("graphsync_sync_latency_seconds_count{applied=\"true\",entity_type=\"Concept\","
        + "lane=\"sync-default\",path=\"per-change\"} 1");
    assertThat(scrape).contains("graphsync_sync_failures_total{entity_type=\"Concept\",lane=\"sync-default\","
        + "path=\"per-change\",retryable=\"false\",type=\"InvalidData\"} 1");
  }
}
