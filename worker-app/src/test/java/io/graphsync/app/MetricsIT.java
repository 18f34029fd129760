package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.Await;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * {@code /actuator/prometheus} of the running application (docs/sync.md, Metrics): after one change synced end to
 * end it shows the sync latency histogram, the capture's counters and slot gauges, and the Temporal SDK's meters.
 */
class MetricsIT extends StackIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final HttpClient http = HttpClient.newHttpClient();

  @Value("${local.server.port}")
  int port;

  private String scrape() throws Exception {
    HttpResponse<String> response = http.send(
        TestCredentials.METRICS.request("http://127.0.0.1:" + port + "/actuator/prometheus").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The sum of a meter's samples whose line starts with {@code prefix} (name and, optionally, tags). */
  private static double sum(String scrape, String prefix) {
    return scrape.lines()
        .filter(line -> line.startsWith(prefix))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void givenOneChangeSyncedEndToEnd_whenPrometheusScrapes_itShowsLatencyCaptureAndTemporalMeters() throws Exception {
    UUID tenant = UUID.randomUUID();
    UUID concept = UUID.randomUUID();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?, 'metrics')", tenant);
    sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?, ?, 'measured')", concept, tenant);
    Await.until("the concept is synced", TIMEOUT, () -> sql.count(
        "SELECT count(*) FROM concepts WHERE id = ? AND sync_status = 'SUCCESS'", concept) == 1);

    AtomicReference<String> scraped = new AtomicReference<>("");
    // the Temporal SDK reports into the registry every 10 s
    Await.until("the Temporal SDK's meters are scraped", Duration.ofSeconds(60), () -> {
      scraped.set(scrape());
      return scraped.get().contains("temporal_workflow_completed");
    });
    String scrape = scraped.get();
    Files.writeString(Path.of("target", "metrics-it-scrape.txt"), scrape);

    assertThat(sum(scrape, "graphsync_sync_latency_seconds_count{")).isGreaterThanOrEqualTo(1.0);
    assertThat(scrape).containsPattern("graphsync_sync_latency_seconds_count\\{applied=\"true\","
        + "entity_type=\"Concept\",lane=\"sync-default\",path=\"per-change\"} [1-9]");
    assertThat(scrape).contains("graphsync_sync_latency_seconds_bucket{");
    assertThat(sum(scrape, "graphsync_sync_latency_seconds_sum{")).isPositive();
    assertThat(sum(scrape, "graphsync_capture_workflows_started_total")).isGreaterThanOrEqualTo(2.0);
    assertThat(scrape).contains("graphsync_capture_starts_duplicate_total", "graphsync_capture_starts_rejected_total",
        "graphsync_capture_records_malformed_total", "graphsync_capture_lag_milliseconds",
        "graphsync_capture_slot_retained_wal_bytes", "graphsync_capture_slot_confirmed_lag_bytes",
        "graphsync_capture_slot_wal_status{status=\"reserved\"}");
    assertThat(sum(scrape, "temporal_workflow_completed_total")).isGreaterThanOrEqualTo(1.0);
    assertThat(scrape).contains("temporal_activity_execution_latency_seconds");
  }
}
