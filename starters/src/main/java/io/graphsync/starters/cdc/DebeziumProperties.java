package io.graphsync.starters.cdc;

import io.graphsync.workflows.sync.ChangeEvent;
import java.util.Properties;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;

/**
 * The Debezium embedded-engine and PostgreSQL-connector properties of a capture. Each one is set on purpose; see the
 * comments.
 */
final class DebeziumProperties {

  /** Run by Debezium with every heartbeat; the message itself is ignored by the mapper. */
  static final String HEARTBEAT_ACTION_QUERY =
      "SELECT pg_logical_emit_message(true, 'graphsync-heartbeat', now()::text)";

  private DebeziumProperties() {}

  /**
   * The properties of an engine that streams from {@code publication}: the configured one, or the slot's previous one
   * while a rename drains ({@link CapturePublication}).
   */
  static Properties of(CaptureSettings settings, MappedTables tables, String publication) {
    return of(settings, tables, publication, null);
  }

  /**
   * As {@link #of(CaptureSettings, MappedTables, String)}, connecting Debezium to {@code server} ({@code host:port}):
   * of several hosts in the URL, the one graphsync's own connection just reached. Null: the URL's first host.
   */
  static Properties of(CaptureSettings settings, MappedTables tables, String publication, String server) {
    Properties p = new Properties();
    // the engine: a name per slot; offsets flushed often, so a restart replays little
    p.setProperty("name", "graphsync-capture-" + settings.slotName());
    p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    p.setProperty("offset.flush.interval.ms", Long.toString(settings.offsetFlushInterval().toMillis()));
    p.setProperty("offset.flush.timeout.ms", "10000");
    offsetStorage(p, settings);

    // the source: pgoutput (built into PostgreSQL 10+), a durable named slot, a publication of the mapped tables only,
    // kept by graphsync (CapturePublication): Debezium's own 'filtered' mode fails to alter an existing publication
    // the connection: every URL parameter of the configured JDBC URL (sslmode, sslrootcert, sslcert, sslkey,
    // sslpassword as Debezium's database.ssl*, the others as driver.* pass-through properties), so the schema
    // connection and the replication stream use the same TLS settings as every other connection; Debezium takes one
    // host (it validates database.hostname as a plain name), so of several the one graphsync reached is used
    p.putAll(settings.url().debeziumProperties(server));
    p.setProperty("database.user", settings.user());
    p.setProperty("database.password", settings.password());
    p.setProperty("topic.prefix", settings.slotName());
    p.setProperty("plugin.name", "pgoutput");
    p.setProperty("slot.name", settings.slotName());
    p.setProperty("slot.drop.on.stop", "false");
    // the slot can be ahead of the stored offsets: Debezium confirms to PostgreSQL the position of every record the
    // capture acknowledged (its workflow started), while the offsets reach their table only every flush interval, and
    // a PostgreSQL restart between the two makes the slot's restart position pass the stored one. Debezium's default
    // then refuses to start for ever ("no longer available on the server"); everything up to the slot's position was
    // acknowledged, so resuming at the greater of the two positions loses nothing. (A dropped or lost slot is refused
    // before the engine starts: CaptureSlotMonitor.)
    p.setProperty("offset.mismatch.strategy", "trust_greater_lsn");
    p.setProperty("publication.name", publication);
    p.setProperty("publication.autocreate.mode", "disabled");
    p.setProperty("table.include.list", tables.includeList());
    p.setProperty("snapshot.mode", settings.snapshotMode());

    // latency and flow: poll the queue every 10 ms instead of 500 ms; heartbeats keep the slot advancing while the
    // mapped tables are idle (otherwise PostgreSQL retains WAL written by other tables)
    p.setProperty("poll.interval.ms", Long.toString(settings.pollInterval().toMillis()));
    p.setProperty("max.batch.size", Integer.toString(settings.maxBatchSize()));
    p.setProperty("max.queue.size", Integer.toString(Math.max(8192, 4 * settings.maxBatchSize())));
    p.setProperty("heartbeat.interval.ms", Long.toString(settings.heartbeatInterval().toMillis()));
    p.setProperty("topic.heartbeat.prefix", ChangeEventMapper.HEARTBEAT_TOPIC_PREFIX);
    // with each heartbeat, a transactional logical decoding message: pgoutput (PostgreSQL 15 skips empty
    // transactions) then sends a transaction even while no mapped table changes, Debezium confirms its position, and
    // the slot advances instead of retaining the WAL of other tables (and a renamed publication's switch is reached)
    p.setProperty("heartbeat.action.query", HEARTBEAT_ACTION_QUERY);
    // a failure stops the engine instead of being retried inside it, out of sight (Debezium's default retries
    // retriable errors forever while the task looks started): graphsync's supervisor restarts it with a backoff,
    // and health reports the error, since when, and the restarts
    p.setProperty("errors.max.retries", "0");

    // values as the ChangeEvent contract wants them (the type table is in docs/sync.md): exact decimals as text,
    // intervals as ISO-8601 text, hstore as a map (ColumnValues sorts its keys), bytea as bytes (ColumnValues makes
    // them base64), bit/varbit as their '0'/'1' text (Debezium's own packs them into bytes and drops a varbit's
    // leading zeros); the TOAST placeholder named explicitly (the mapper and the graph writer test for it)
    p.setProperty("decimal.handling.mode", "string");
    p.setProperty("interval.handling.mode", "string");
    p.setProperty("hstore.handling.mode", "map");
    p.setProperty("binary.handling.mode", "bytes");
    p.setProperty("converters", BitStringConverter.NAME);
    p.setProperty(BitStringConverter.NAME + ".type", BitStringConverter.class.getName());
    p.setProperty("unavailable.value.placeholder", ChangeEvent.UNAVAILABLE_VALUE);

    // deletes carry their before image; no tombstones (they would only be skipped); truncates emitted (the capture
    // starts a TruncateWorkflow for each)
    p.setProperty("tombstones.on.delete", "false");
    p.setProperty("skipped.operations", "none");
    p.setProperty("provide.transaction.metadata", "false");
    return p;
  }

  private static void offsetStorage(Properties p, CaptureSettings settings) {
    if (settings.offsetStorage() instanceof OffsetStorage.PostgresTable table) {
      p.setProperty("offset.storage", PostgresOffsetBackingStore.class.getName());
      p.setProperty(PostgresOffsetBackingStore.URL, settings.jdbcUrl());
      p.setProperty(PostgresOffsetBackingStore.USER, settings.user());
      p.setProperty(PostgresOffsetBackingStore.PASSWORD, settings.password());
      p.setProperty(PostgresOffsetBackingStore.TABLE, table.table());
      p.setProperty(PostgresOffsetBackingStore.SLOT, settings.slotName());
    } else if (settings.offsetStorage() instanceof OffsetStorage.LocalFile file) {
      p.setProperty("offset.storage", FileOffsetBackingStore.class.getName());
      p.setProperty("offset.storage.file.filename", file.file().toAbsolutePath().toString());
    }
  }
}
