package io.graphsync.starters.cdc;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the capture keeps its Debezium offsets (the last acknowledged position in the replication stream).
 *
 * <p>{@link PostgresTable} is the default: the offsets live next to the replication slot, so a standby instance on
 * another machine that takes over the lease resumes from the same position. {@link LocalFile} only suits a single
 * machine: a standby elsewhere does not see the file and falls back to the slot's confirmed position (still
 * at-least-once, since the slot is only advanced after an offset commit, but it may replay more).
 */
public sealed interface OffsetStorage {

  /** The default table, in graphsync's own schema. */
  String DEFAULT_TABLE = "graphsync.capture_offsets";

  /** Offsets in the captured database itself, one row per offset key and replication slot. */
  record PostgresTable(String table) implements OffsetStorage {

    private static final Pattern QUALIFIED_NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

    public PostgresTable {
      Objects.requireNonNull(table, "table");
      if (!QUALIFIED_NAME.matcher(table).matches()) {
        throw new IllegalArgumentException("offset table must be a plain lower-case [schema.]name: " + table);
      }
    }
  }

  /** Offsets in a local file (Kafka Connect's {@code FileOffsetBackingStore}). */
  record LocalFile(Path file) implements OffsetStorage {

    public LocalFile {
      Objects.requireNonNull(file, "file");
    }
  }

  static OffsetStorage postgres() {
    return new PostgresTable(DEFAULT_TABLE);
  }
}
