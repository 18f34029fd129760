package io.graphsync.starters.cdc;

import io.graphsync.workflows.TaskQueues;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the PostgreSQL capture connects, where it keeps its position, and how it starts workflows. Build with
 * {@link #builder()}; every field but the connection and the mapping has a default.
 *
 * @param host PostgreSQL host (the first of {@code url}'s)
 * @param port PostgreSQL port (the first of {@code url}'s)
 * @param database the captured database
 * @param url the whole connection: every host and URL parameter ({@code sslmode}, {@code sslrootcert}, …), used by
 *     every connection of the capture, Debezium's included; built from host, port and database when not given
 * @param user a role with the REPLICATION attribute (or superuser); SELECT on the mapped tables, and INSERT, UPDATE,
 *     DELETE on the offset and reject tables (docs/security.md)
 * @param password its password
 * @param publicationRole the role the capture switches to ({@code SET ROLE}) while it creates or alters its
 *     publication: PostgreSQL lets only the mapped tables' owner add them to a publication, so with a least-privilege
 *     {@code user} this names the tables' owner role, of which {@code user} is a (NOINHERIT) member; null: the
 *     publication is kept as {@code user} itself (superuser, or the tables' owner)
 * @param slotName the logical replication slot (default {@code graphsync}); also names the capture lease and the
 *     offsets
 * @param publicationName the pgoutput publication (default {@code graphsync_pub}), created for the mapped tables
 * @param defaultSchema the schema of mapping tables that are not schema-qualified (default {@code public})
 * @param snapshotMode Debezium's {@code snapshot.mode} (default {@code no_data}: stream from the slot's creation;
 *     existing rows are loaded by the backfill and repaired by reconciliation, never one workflow per row)
 * @param offsetStorage where offsets live (default: a table in PostgreSQL)
 * @param offsetFlushInterval how often acknowledged offsets are written (and the slot advanced)
 * @param pollInterval Debezium's {@code poll.interval.ms}; the default 10 ms measured p50 18 ms commit-to-start
 *     against 455 ms at Debezium's default of 500 ms
 * @param heartbeatInterval Debezium's {@code heartbeat.interval.ms}: keeps the slot advancing while the mapped
 *     tables are idle
 * @param maxBatchSize Debezium's {@code max.batch.size}: the most changes started together
 * @param maxConcurrentStarts the most workflow starts in flight at once
 * @param taskQueue the task queue of the started workflows (default {@link TaskQueues#SYNC_DEFAULT})
 * @param leaseRetryInterval how often a standby instance tries to take the capture lease
 * @param restartBackoff the first wait before restarting a failed engine; doubles up to {@code maxRestartBackoff}
 * @param maxRestartBackoff the longest wait between restarts
 * @param maxPayloadBytes the most bytes of JSON a change's {@code data} and {@code previousData} may take together
 *     (default {@value #DEFAULT_MAX_PAYLOAD_BYTES}, 256 KiB); a larger change starts its workflow without them
 *     ({@code dataOmitted}: only the key, tenant, foreign-key and {@code pg_version} columns), and the graph writer
 *     re-reads the row. Keeps big rows out of Temporal's history (it warns at 512 KB per payload and rejects 2 MB)
 * @param slotCheckInterval how often the leader reads its slot's position and retained WAL from
 *     {@code pg_replication_slots} (on its own thread; health and gauges read the last result)
 * @param stallTimeout how long the slot may go without confirming a new position while changes are pending before
 *     the capture is DOWN (default 5 minutes); heartbeats make a healthy slot confirm about every 10 s. Also how long
 *     an engine may take to start
 * @param retainedWalWarningBytes WAL the slot may retain ({@code pg_current_wal_lsn() - restart_lsn}) before the
 *     capture's health is WARNING (default {@value #DEFAULT_RETAINED_WAL_WARNING_BYTES}, 1 GiB)
 * @param grouping when changes are grouped into {@code SyncBatchWorkflow}s (large transactions, backlogs, backpressure)
 * @param lanes routing rules to priority lanes (task queues) by table and tenant; the first match wins, else
 *     {@code taskQueue}
 * @param mapping the resolved mapping: which tables are captured and what their keys are
 */
public record CaptureSettings(
    String host,
    int port,
    String database,
    PostgresUrl url,
    String user,
    String password,
    String publicationRole,
    String slotName,
    String publicationName,
    String defaultSchema,
    String snapshotMode,
    OffsetStorage offsetStorage,
    Duration offsetFlushInterval,
    Duration pollInterval,
    Duration heartbeatInterval,
    int maxBatchSize,
    int maxConcurrentStarts,
    String taskQueue,
    Duration leaseRetryInterval,
    Duration restartBackoff,
    Duration maxRestartBackoff,
    int maxPayloadBytes,
    Duration slotCheckInterval,
    Duration stallTimeout,
    long retainedWalWarningBytes,
    Grouping grouping,
    List<LaneRule> lanes,
    GraphMapping mapping) {

  /**
   * When the capture groups changes into {@code SyncBatchWorkflow}s instead of one workflow per change (see
   * {@code CaptureGrouping}).
   *
   * @param enabled false: every change starts its own workflow, whatever the batch
   * @param threshold a Debezium batch with at least this many changes of the default lane is grouped (a large
   *     transaction, a backlog)
   * @param maxInFlight more running per-change syncs than this, and the batch is grouped (backpressure)
   * @param maxBatchEvents the most changes per group
   * @param maxBatchBytes the most bytes of serialized input per group (Temporal warns at 512 KB per payload)
   * @param inFlightCheckInterval how often the running syncs are counted
   */
  public record Grouping(boolean enabled, int threshold, int maxInFlight, int maxBatchEvents, int maxBatchBytes,
      Duration inFlightCheckInterval) {

    /** 100 changes per batch or 500 syncs in flight; groups of at most 500 changes and 256 KiB. */
    public static final Grouping DEFAULT = new Grouping(true, 100, 500, 500, 256 * 1024, Duration.ofSeconds(1));

    /** Every change its own workflow. */
    public static final Grouping OFF = new Grouping(false, Integer.MAX_VALUE, Integer.MAX_VALUE, 1, 1,
        Duration.ofSeconds(1));

    public Grouping {
      if (threshold <= 0 || maxInFlight <= 0 || maxBatchEvents <= 0 || maxBatchBytes <= 0) {
        throw new IllegalArgumentException("grouping settings must be positive: " + threshold + ", " + maxInFlight
            + ", " + maxBatchEvents + ", " + maxBatchBytes);
      }
      requirePositive(inFlightCheckInterval, "inFlightCheckInterval");
    }
  }

  /** 256 KiB: half of the size at which Temporal warns about a payload, an eighth of its hard limit. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

  /** 1 GiB: PostgreSQL's default {@code max_wal_size}; a slot that holds more is far behind. */
  public static final long DEFAULT_RETAINED_WAL_WARNING_BYTES = 1024L * 1024 * 1024;

  /** Slot and publication names become SQL identifiers: PostgreSQL's rules for slot names, checked here. */
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z0-9_]{1,63}");

  public CaptureSettings {
    if (url != null) {
      host = url.host();
      port = url.port();
      database = url.database();
    }
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    if (url == null && port > 0) {
      url = PostgresUrl.of(host, port, database);
    }
    if (publicationRole != null && publicationRole.isBlank()) {
      publicationRole = null;
    }
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(defaultSchema, "defaultSchema");
    Objects.requireNonNull(snapshotMode, "snapshotMode");
    Objects.requireNonNull(offsetStorage, "offsetStorage");
    Objects.requireNonNull(taskQueue, "taskQueue");
    Objects.requireNonNull(mapping, "mapping");
    Objects.requireNonNull(grouping, "grouping");
    lanes = lanes == null ? List.of() : List.copyOf(lanes);
    requireIdentifier(slotName, "slotName");
    requireIdentifier(publicationName, "publicationName");
    requirePositive(offsetFlushInterval, "offsetFlushInterval");
    requirePositive(pollInterval, "pollInterval");
    requirePositive(heartbeatInterval, "heartbeatInterval");
    requirePositive(leaseRetryInterval, "leaseRetryInterval");
    requirePositive(restartBackoff, "restartBackoff");
    requirePositive(maxRestartBackoff, "maxRestartBackoff");
    requirePositive(slotCheckInterval, "slotCheckInterval");
    requirePositive(stallTimeout, "stallTimeout");
    if (retainedWalWarningBytes <= 0) {
      throw new IllegalArgumentException("retainedWalWarningBytes must be positive: " + retainedWalWarningBytes);
    }
    if (port <= 0 || maxBatchSize <= 0 || maxConcurrentStarts <= 0) {
      throw new IllegalArgumentException("port, maxBatchSize and maxConcurrentStarts must be positive");
    }
    if (maxPayloadBytes <= 0) {
      throw new IllegalArgumentException("maxPayloadBytes must be positive: " + maxPayloadBytes);
    }
    if (mapping.tables().isEmpty() && mapping.joinTables().isEmpty()) {
      throw new IllegalArgumentException("the mapping names no table: nothing to capture");
    }
  }

  private static void requireIdentifier(String value, String name) {
    if (value == null || !IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(name + " must match " + IDENTIFIER.pattern() + ": " + value);
    }
  }

  private static void requirePositive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration: " + value);
    }
  }

  /** The task queue of a change: the first lane rule that matches it, else {@link #taskQueue()}. */
  public String taskQueueOf(ChangeEvent event) {
    for (LaneRule lane : lanes) {
      if (lane.matches(event)) {
        return lane.taskQueue();
      }
    }
    return taskQueue;
  }

  /**
   * The JDBC URL of the captured database with every host and parameter of {@link #url()}, without credentials (the
   * lease, the publication, the slot monitor, the offset and reject stores use it).
   */
  public String jdbcUrl() {
    return url.jdbcUrl();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link CaptureSettings} with the documented defaults. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 5432;
    private String database;
    private PostgresUrl url;
    private String user;
    private String password;
    private String publicationRole;
    private String slotName = "graphsync";
    private String publicationName = "graphsync_pub";
    private String defaultSchema = "public";
    private String snapshotMode = "no_data";
    private OffsetStorage offsetStorage = OffsetStorage.postgres();
    private Duration offsetFlushInterval = Duration.ofSeconds(1);
    private Duration pollInterval = Duration.ofMillis(10);
    private Duration heartbeatInterval = Duration.ofSeconds(10);
    private int maxBatchSize = 2048;
    private int maxConcurrentStarts = 32;
    private String taskQueue = TaskQueues.SYNC_DEFAULT;
    private Duration leaseRetryInterval = Duration.ofSeconds(5);
    private Duration restartBackoff = Duration.ofSeconds(1);
    private Duration maxRestartBackoff = Duration.ofMinutes(1);
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private Duration slotCheckInterval = Duration.ofSeconds(5);
    private Duration stallTimeout = Duration.ofMinutes(5);
    private long retainedWalWarningBytes = DEFAULT_RETAINED_WAL_WARNING_BYTES;
    private Grouping grouping = Grouping.DEFAULT;
    private List<LaneRule> lanes = List.of();
    private GraphMapping mapping;

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder database(String database) {
      this.database = database;
      return this;
    }

    /**
     * The whole connection as a JDBC URL, with every host and parameter ({@code sslmode}, …); sets host, port and
     * database too. {@code user} and {@code password} in it are ignored: set them with {@link #user} and
     * {@link #password}.
     */
    public Builder jdbcUrl(String jdbcUrl) {
      this.url = PostgresUrl.parse(jdbcUrl);
      return this;
    }

    public Builder publicationRole(String publicationRole) {
      this.publicationRole = publicationRole;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder password(String password) {
      this.password = password;
      return this;
    }

    public Builder slotName(String slotName) {
      this.slotName = slotName;
      return this;
    }

    public Builder publicationName(String publicationName) {
      this.publicationName = publicationName;
      return this;
    }

    public Builder defaultSchema(String defaultSchema) {
      this.defaultSchema = defaultSchema;
      return this;
    }

    public Builder snapshotMode(String snapshotMode) {
      this.snapshotMode = snapshotMode;
      return this;
    }

    public Builder offsetStorage(OffsetStorage offsetStorage) {
      this.offsetStorage = offsetStorage;
      return this;
    }

    public Builder offsetFlushInterval(Duration offsetFlushInterval) {
      this.offsetFlushInterval = offsetFlushInterval;
      return this;
    }

    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    public Builder heartbeatInterval(Duration heartbeatInterval) {
      this.heartbeatInterval = heartbeatInterval;
      return this;
    }

    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    public Builder maxConcurrentStarts(int maxConcurrentStarts) {
      this.maxConcurrentStarts = maxConcurrentStarts;
      return this;
    }

    public Builder taskQueue(String taskQueue) {
      this.taskQueue = taskQueue;
      return this;
    }

    public Builder leaseRetryInterval(Duration leaseRetryInterval) {
      this.leaseRetryInterval = leaseRetryInterval;
      return this;
    }

    public Builder restartBackoff(Duration restartBackoff) {
      this.restartBackoff = restartBackoff;
      return this;
    }

    public Builder maxRestartBackoff(Duration maxRestartBackoff) {
      this.maxRestartBackoff = maxRestartBackoff;
      return this;
    }

    public Builder maxPayloadBytes(int maxPayloadBytes) {
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    public Builder slotCheckInterval(Duration slotCheckInterval) {
      this.slotCheckInterval = slotCheckInterval;
      return this;
    }

    public Builder stallTimeout(Duration stallTimeout) {
      this.stallTimeout = stallTimeout;
      return this;
    }

    public Builder retainedWalWarningBytes(long retainedWalWarningBytes) {
      this.retainedWalWarningBytes = retainedWalWarningBytes;
      return this;
    }

    public Builder grouping(Grouping grouping) {
      this.grouping = grouping;
      return this;
    }

    public Builder lanes(List<LaneRule> lanes) {
      this.lanes = lanes;
      return this;
    }

    public Builder mapping(GraphMapping mapping) {
      this.mapping = mapping;
      return this;
    }

    public CaptureSettings build() {
      return new CaptureSettings(host, port, database, url, user, password, publicationRole, slotName,
          publicationName, defaultSchema, snapshotMode, offsetStorage, offsetFlushInterval, pollInterval,
          heartbeatInterval, maxBatchSize, maxConcurrentStarts, taskQueue, leaseRetryInterval, restartBackoff,
          maxRestartBackoff, maxPayloadBytes, slotCheckInterval, stallTimeout, retainedWalWarningBytes, grouping,
          lanes, mapping);
    }
  }
}
