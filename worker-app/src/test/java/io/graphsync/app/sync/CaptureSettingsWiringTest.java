package io.graphsync.app.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.mapping.MappingLoader;
import io.graphsync.app.postgres.PostgresRoles;
import io.graphsync.starters.cdc.CaptureSettings;
import io.graphsync.starters.cdc.LaneRule;
import io.graphsync.starters.cdc.OffsetStorage;
import io.graphsync.workflows.mapping.GraphMapping;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/** {@code graphsync.capture.*} → {@link CaptureSettings}: unset keeps the builder's default, set wins. */
class CaptureSettingsWiringTest {

  private static final GraphMapping MAPPING = MappingLoader.load(MappingLoader.DEFAULT_LOCATION);
  private static final PostgresRoles ROLES = new PostgresRoles("jdbc:postgresql://db.example:5432/graphsync",
      "graphsync", "s3cret-1", "graphsync", "s3cret-1", "graphsync_capture", "c-secret-1", null, Set.of("*"));

  private static CaptureSettings settings(Map<String, String> properties) {
    CaptureProperties capture = new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("graphsync.capture", Bindable.of(CaptureProperties.class));
    return new SyncConfiguration().captureSettings(ROLES, capture, MAPPING);
  }

  @Test
  void givenNothingConfigured_whenWired_itKeepsTheCapturesDefaults() {
    CaptureSettings settings = settings(Map.of());
    CaptureSettings defaults = CaptureSettings.builder().jdbcUrl(ROLES.url()).user("graphsync_capture")
        .password("c-secret-1").mapping(MAPPING).build();

    assertThat(settings).usingRecursiveComparison().isEqualTo(defaults);
    // the values worker-app ran with when application.yml still spelled them out
    assertThat(settings.slotName()).isEqualTo("graphsync");
    assertThat(settings.publicationName()).isEqualTo("graphsync_pub");
    assertThat(settings.snapshotMode()).isEqualTo("no_data");
    assertThat(settings.offsetStorage()).isEqualTo(new OffsetStorage.PostgresTable("graphsync.capture_offsets"));
    assertThat(settings.pollInterval()).isEqualTo(Duration.ofMillis(10));
    assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.maxBatchSize()).isEqualTo(2048);
    assertThat(settings.maxConcurrentStarts()).isEqualTo(32);
    assertThat(settings.taskQueue()).isEqualTo("sync-default");
    assertThat(settings.maxPayloadBytes()).isEqualTo(256 * 1024);
    assertThat(settings.stallTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.retainedWalWarningBytes()).isEqualTo(DataSize.ofGigabytes(1).toBytes());
    assertThat(settings.slotCheckInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.grouping()).isEqualTo(new CaptureSettings.Grouping(true, 100, 500, 500, 256 * 1024,
        Duration.ofSeconds(1)));
  }

  @Test
  void givenValues_whenWired_theyReachTheSettings() {
    CaptureSettings settings = settings(Map.ofEntries(
        Map.entry("graphsync.capture.slot-name", "other_slot"),
        Map.entry("graphsync.capture.offset-table", "ops.offsets"),
        Map.entry("graphsync.capture.poll-interval", "50ms"),
        Map.entry("graphsync.capture.max-payload-bytes", "64KB"),
        Map.entry("graphsync.capture.retained-wal-warning", "2GB"),
        Map.entry("graphsync.capture.grouping.max-in-flight", "100"),
        Map.entry("graphsync.capture.lanes[0].task-queue", "sync-critical"),
        Map.entry("graphsync.capture.lanes[0].tables", "tenants")));

    assertThat(settings.slotName()).isEqualTo("other_slot");
    assertThat(settings.offsetStorage()).isEqualTo(new OffsetStorage.PostgresTable("ops.offsets"));
    assertThat(settings.pollInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(settings.maxPayloadBytes()).isEqualTo(64 * 1024);
    assertThat(settings.retainedWalWarningBytes()).isEqualTo(DataSize.ofGigabytes(2).toBytes());
    assertThat(settings.grouping()).isEqualTo(new CaptureSettings.Grouping(true, 100, 100, 500, 256 * 1024,
        Duration.ofSeconds(1)));
    assertThat(settings.lanes()).containsExactly(new LaneRule("sync-critical", Set.of("tenants"), Set.of()));
  }

  @Test
  void givenGroupingDisabled_whenWired_everyChangeIsItsOwnWorkflow() {
    assertThat(settings(Map.of("graphsync.capture.grouping.enabled", "false")).grouping())
        .isEqualTo(CaptureSettings.Grouping.OFF);
    assertThat(settings(Map.of()).lanes()).isEqualTo(List.of());
  }
}
