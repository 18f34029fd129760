package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.workflows.sync.ChangeEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Measures the capture latency, commit to accepted workflow start, over single-row commits. Logs it; asserts none. */
@ExtendWith(GraphsyncExtension.class)
class CaptureLatencyIT {

  private static final Logger log = LoggerFactory.getLogger(CaptureLatencyIT.class);
  private static final int COMMITS = 200;

  private static CaptureFixture fixture;

  @BeforeAll
  static void createFixture(GraphsyncStack stack) {
    fixture = new CaptureFixture(stack, "gs_latency_it");
  }

  @AfterAll
  static void dropSlot() throws SQLException {
    fixture.dropSlot();
  }

  @Test
  void givenSingleRowCommits_whenCaptured_itLogsTheCommitToStartLatency() throws Exception {
    Map<String, Instant> accepted = new ConcurrentHashMap<>();
    Map<String, Instant> committedAt = new ConcurrentHashMap<>();
    CaptureListener timing = new CaptureListener() {
      @Override
      public void onWorkflowsStarted(List<ChangeEvent> events, int duplicates, Instant acceptedAt) {
        events.forEach(e -> {
          accepted.put(e.entityId(), acceptedAt);
          committedAt.put(e.entityId(), e.timestamp());
        });
      }
    };
    String tenant = UUID.randomUUID().toString();
    List<Long> fromCommitTime = new ArrayList<>();
    List<Long> fromClientCommit = new ArrayList<>();
    List<Long> startMillis = Collections.synchronizedList(new ArrayList<>());
    CaptureSettings settings = fixture.settings().build();
    try (ChangeEventWorkflowStarter starter = new TimingStarter(fixture, settings, startMillis);
         PostgresCapture capture = new PostgresCapture(settings, starter, timing);
         Connection c = fixture.connect()) {
      capture.start();
      fixture.awaitStreaming(capture);
      c.createStatement().execute("INSERT INTO tenants (id, name) VALUES ('" + tenant + "', 'Latency')");
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO users (id, tenant_id, email) VALUES (?::uuid, ?::uuid, ?)")) {
        for (int i = 0; i < COMMITS; i++) {
          String user = UUID.randomUUID().toString();
          insert.setString(1, user);
          insert.setString(2, tenant);
          insert.setString(3, "user" + i + "@example.org");
          insert.executeUpdate(); // autocommit: one row, one transaction
          Instant committed = Instant.now();
          Await.until(() -> "start of " + user, Duration.ofSeconds(30), () -> accepted.containsKey(user));
          fromCommitTime.add(Duration.between(committedAt.get(user), accepted.get(user)).toMillis());
          fromClientCommit.add(Duration.between(committed, accepted.get(user)).toMillis());
        }
      }
    }

    log.info("capture latency over {} single-row commits, commit time (source ts_ms) to accepted start: p50 {} ms, "
            + "p90 {} ms, max {} ms; client commit returned to accepted start: p50 {} ms, p90 {} ms",
        COMMITS, percentile(fromCommitTime, 50), percentile(fromCommitTime, 90), percentile(fromCommitTime, 100),
        percentile(fromClientCommit, 50), percentile(fromClientCommit, 90));
    log.info("of which the Temporal start (one batch, accepted): p50 {} ms, p90 {} ms", percentile(startMillis, 50),
        percentile(startMillis, 90));
    assertThat(fixture.client.listExecutions("WorkflowType = 'SyncChangeEventWorkflow' AND EntityType = 'User' AND "
        + "TenantId = '" + tenant + "'").count()).isEqualTo(COMMITS);
  }

  /** Measures how long Temporal takes to accept the starts of a batch. */
  private static final class TimingStarter extends ChangeEventWorkflowStarter {
    private final List<Long> startMillis;

    TimingStarter(CaptureFixture fixture, CaptureSettings settings, List<Long> startMillis) {
      super(fixture.client, settings.taskQueue(), settings.maxConcurrentStarts());
      this.startMillis = startMillis;
    }

    @Override
    public List<StartOutcome> startAll(List<ChangeEvent> events) throws InterruptedException {
      long begin = System.nanoTime();
      List<StartOutcome> outcomes = super.startAll(events);
      if (!events.isEmpty()) {
        startMillis.add(Duration.ofNanos(System.nanoTime() - begin).toMillis());
      }
      return outcomes;
    }
  }

  private static long percentile(List<Long> values, int percentile) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
