package io.graphsync.app.sync;

import io.graphsync.starters.cdc.CaptureSettings;
import io.graphsync.starters.cdc.OffsetStorage;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The PostgreSQL capture ({@code graphsync.capture.*}; environment variables such as
 * {@code GRAPHSYNC_CAPTURE_SLOT_NAME} override them). A value left unset keeps the capture's own default, which
 * {@link CaptureSettings.Builder} declares (the one place of the capture's defaults: {@code slotName}
 * {@code graphsync}, {@code pollInterval} 10 ms, {@code maxPayloadBytes} 256 KB, …).
 *
 * @param enabled whether this instance runs a capture (it still takes the lease: one capture per slot)
 * @param slotName the logical replication slot
 * @param publicationName the publication, created for exactly the mapped tables
 * @param snapshotMode Debezium's snapshot.mode: {@code no_data} (stream from now) or {@code initial}
 * @param offsetTable where the capture keeps its offsets, in PostgreSQL
 * @param pollInterval Debezium's poll.interval.ms (low: measured p50 18 ms at 10 ms vs 455 ms at the default)
 * @param heartbeatInterval Debezium's heartbeat.interval.ms (keeps the slot advancing on idle tables)
 * @param maxBatchSize Debezium's max.batch.size
 * @param maxConcurrentStarts workflow starts in flight at once
 * @param taskQueue the task queue the sync workflows run on
 * @param maxPayloadBytes the payload size limit: a change whose data (with its previous data) takes more JSON
 *     starts its workflow without it, and the graph writer re-reads the row ({@code 256KB} by default; Temporal
 *     warns at 512 KB per payload and rejects 2 MB)
 * @param stallTimeout the capture is DOWN when its slot has not confirmed a position for this long while changes are
 *     pending (heartbeats make a healthy slot confirm about every 10 s), or an engine takes this long to start
 * @param retainedWalWarning the capture's health is WARNING when its slot retains more WAL than this
 * @param slotCheckInterval how often the leader reads its slot's position and retained WAL
 * @param grouping when changes are grouped into {@code SyncBatchWorkflow}s on {@code sync-bulk}
 * @param lanes routing rules to priority lanes: the first rule whose tables (and tenants) match a change names its
 *     task queue; the others go to {@code taskQueue}
 */
@ConfigurationProperties("graphsync.capture")
public record CaptureProperties(
    @DefaultValue("true") boolean enabled,
    String slotName,
    String publicationName,
    String snapshotMode,
    String offsetTable,
    Duration pollInterval,
    Duration heartbeatInterval,
    Integer maxBatchSize,
    Integer maxConcurrentStarts,
    String taskQueue,
    DataSize maxPayloadBytes,
    Duration stallTimeout,
    DataSize retainedWalWarning,
    Duration slotCheckInterval,
    @DefaultValue Grouping grouping,
    @DefaultValue List<Lane> lanes) {

  /** The offset table: {@link #offsetTable()}, or the capture's default. */
  public String offsetTableOrDefault() {
    return offsetTable == null || offsetTable.isBlank() ? OffsetStorage.DEFAULT_TABLE : offsetTable;
  }

  /**
   * Grouped sync ({@code graphsync.capture.grouping.*}); unset values keep {@link CaptureSettings.Grouping#DEFAULT}'s.
   *
   * @param enabled false: one workflow per change, always
   * @param threshold a Debezium batch with at least this many changes of the default lane is grouped
   * @param maxInFlight more running per-change syncs than this, and changes are grouped (backpressure)
   * @param maxBatchEvents the most changes per {@code SyncBatchWorkflow}
   * @param maxBatchBytes the most serialized input per {@code SyncBatchWorkflow}
   * @param inFlightCheckInterval how often the running syncs are counted
   */
  public record Grouping(
      Boolean enabled,
      Integer threshold,
      Integer maxInFlight,
      Integer maxBatchEvents,
      DataSize maxBatchBytes,
      Duration inFlightCheckInterval) {}

  /**
   * One routing rule ({@code graphsync.capture.lanes[n].*}).
   *
   * @param taskQueue the lane, e.g. {@code sync-critical} (a worker must poll it)
   * @param tables mapped tables whose changes take this lane; empty: any
   * @param tenants tenant ids whose changes take this lane; empty: any
   */
  public record Lane(String taskQueue, @DefaultValue List<String> tables, @DefaultValue List<String> tenants) {}
}
