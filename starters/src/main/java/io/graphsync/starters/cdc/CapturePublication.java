package io.graphsync.starters.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.HostSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture's publication, owned by graphsync: before each engine start the leader brings it to exactly the
 * mapped tables ({@code CREATE PUBLICATION}, or {@code ALTER PUBLICATION ... ADD TABLE / DROP TABLE}), and Debezium
 * runs with {@code publication.autocreate.mode=disabled}. Adding a table to the mapping or removing one is a restart;
 * no hand work, and no change of the other tables is held up.
 *
 * <p><b>Ownership mark.</b> The publication's comment says which slot it serves and the WAL position right after
 * its creation: {@code graphsync capture publication of slot <slot>; created at LSN <lsn>}. A publication marked for
 * another slot is refused (two captures would fight over its tables); an unmarked one (created by an earlier
 * release, or by hand) is adopted.
 *
 * <p><b>Renaming the publication.</b> pgoutput resolves the publication by name in the catalog as of each decoded
 * change, so a publication created after changes the slot still holds fails them ("publication ... does not
 * exist"). When the configured publication is newer than the slot's confirmed position, the capture keeps
 * streaming from the slot's previous publication (brought to the same tables) until the slot has confirmed the new
 * one's creation position, then switches ({@link Plan#switchAt()}), and drops the previous publication.
 * Nothing is lost or captured twice: both publications hold the same tables, and the switch resumes at the
 * confirmed offset.
 *
 * <p><b>Privileges.</b> PostgreSQL lets only the owner of a table add it to a publication, and only the
 * publication's owner alter or drop it. With {@link CaptureSettings#publicationRole()} set, this connection (and no
 * other of the capture) runs {@code SET ROLE} to that role, the mapped tables' owner, so the publication belongs to
 * it; the capture's other connections keep the capture role's own, smaller privileges.
 *
 * <p>Column lists are not used: PostgreSQL requires a column list to cover the replica identity, and graphsync's
 * tables need {@code REPLICA IDENTITY FULL} (complete before-images), so a list would have to name every column.
 */
final class CapturePublication {

  private static final Logger log = LoggerFactory.getLogger(CapturePublication.class);

  /** What every graphsync publication publishes: TRUNCATE too, so the capture can see it. */
  static final String PUBLISH = "insert, update, delete, truncate";

  private static final String MARK_PREFIX = "graphsync capture publication of slot ";
  private static final Pattern MARK = Pattern.compile(
      Pattern.quote(MARK_PREFIX) + "([a-z0-9_]+); created at LSN ([0-9A-Fa-f]+/[0-9A-Fa-f]+)");

  /**
   * Which publication the engine streams from now.
   *
   * @param streamFrom the publication to name in Debezium's {@code publication.name}
   * @param switchAt when {@code streamFrom} is the slot's previous publication: the LSN the slot must confirm
   *     before the capture switches to the configured one; empty when it streams from the configured one
   */
  record Plan(String streamFrom, Optional<Long> switchAt) {
    static Plan configured(String publication) {
      return new Plan(publication, Optional.empty());
    }
  }

  private final String jdbcUrl;
  private final Properties connectionProperties;
  private final String slot;
  private final String publication;
  private final String publicationRole;
  private final List<String> tables;
  private volatile String lastServer;

  CapturePublication(CaptureSettings settings, MappedTables mappedTables) {
    this.jdbcUrl = settings.jdbcUrl();
    this.slot = settings.slotName();
    this.publication = settings.publicationName();
    this.publicationRole = settings.publicationRole();
    this.tables = mappedTables.qualifiedNames();
    this.connectionProperties = new Properties();
    connectionProperties.setProperty("user", settings.user());
    connectionProperties.setProperty("password", settings.password());
    connectionProperties.setProperty("ApplicationName", "graphsync-capture-publication");
    connectionProperties.setProperty("connectTimeout", "10");
    connectionProperties.setProperty("socketTimeout", "60");
  }

  /**
   * Brings the configured publication to exactly the mapped tables (creating it if needed) and decides which
   * publication the engine streams from. Idempotent.
   */
  Plan prepare() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, connectionProperties)) {
      HostSpec server = c.unwrap(BaseConnection.class).getQueryExecutor().getHostSpec();
      lastServer = server.getHost() + ":" + server.getPort();
      c.setAutoCommit(false);
      if (publicationRole != null) {
        // only the tables' owner may add them to a publication: act as that role for this connection only
        try (Statement setRole = c.createStatement()) {
          setRole.execute("SET ROLE " + quote(c, publicationRole));
        }
        c.commit();
      }
      boolean existed = allTables(c, publication).isPresent();
      long createdAt = existed ? readOrAdoptMark(c, publication) : 0L; // refuses another slot's before any change
      ensureTables(c, publication);
      if (!existed) {
        writeMark(c, publication, currentLsn(c)); // in the creating transaction, so no crash leaves it unmarked
        c.commit();
        createdAt = currentLsn(c); // after the commit: every change past it sees the publication
        writeMark(c, publication, createdAt);
      }
      c.commit();
      Map<String, Long> previous = ownedPublications(c);
      previous.remove(publication);
      Optional<Long> confirmed = confirmedFlushLsn(c);
      if (confirmed.isEmpty() || confirmed.get() >= createdAt) {
        for (String old : previous.keySet()) {
          try (Statement drop = c.createStatement()) {
            drop.execute("DROP PUBLICATION IF EXISTS " + quote(c, old));
          }
          log.info("dropped publication {}, the previous publication of slot {}; the capture streams from {}", old,
              slot, publication);
        }
        c.commit();
        return Plan.configured(publication);
      }
      // the slot holds changes from before the configured publication existed: drain them through the previous one
      Optional<String> drainFrom = previous.entrySet().stream()
          .filter(p -> p.getValue() <= confirmed.get())
          .max(Map.Entry.comparingByValue())
          .map(Map.Entry::getKey);
      if (drainFrom.isEmpty()) {
        throw new IllegalStateException("slot " + slot + " holds changes from before publication " + publication
            + " was created (slot confirmed " + lsnText(confirmed.get()) + ", publication created at "
            + lsnText(createdAt) + ") and no earlier publication of the slot exists to read them with: "
            + "set the capture's publication back to the one the slot was read with, let it catch up, then rename");
      }
      ensureTables(c, drainFrom.get());
      c.commit();
      log.info("publication {} of slot {} is newer than the slot's position {}: streaming from {} until the slot "
          + "confirms {}, then switching", publication, slot, lsnText(confirmed.get()), drainFrom.get(),
          lsnText(createdAt));
      return new Plan(drainFrom.get(), Optional.of(createdAt));
    }
  }

  /**
   * The {@code host:port} the last {@link #prepare()} reached: of several hosts in the URL, the one the driver chose
   * (the primary, with {@code targetServerType=primary}), which is where the slot lives; null before the first.
   */
  String lastServer() {
    return lastServer;
  }

  /** The slot's confirmed flush position; empty while the slot does not exist yet. */
  Optional<Long> confirmedFlushLsn() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, connectionProperties)) {
      return confirmedFlushLsn(c);
    }
  }

  /** Creates the publication, or adds and drops tables so it holds exactly the mapped ones; true when created. */
  private boolean ensureTables(Connection c, String name) throws SQLException {
    String quotedName = quote(c, name);
    String list = tableList(c, tables);
    Optional<Boolean> allTables = allTables(c, name);
    if (allTables.isEmpty()) {
      try (Statement create = c.createStatement()) {
        create.execute("CREATE PUBLICATION " + quotedName + " FOR TABLE " + list + " WITH (publish = '" + PUBLISH
            + "')");
      }
      log.info("created publication {} for tables {}", name, tables);
      return true;
    }
    if (allTables.get()) {
      throw new IllegalStateException("publication " + name + " is FOR ALL TABLES: graphsync keeps its publication "
          + "to exactly the mapped tables, so it cannot use this one; drop it or configure another publication name");
    }
    Set<String> current = publishedTables(c, name);
    List<String> missing = tables.stream().filter(t -> !current.contains(t)).toList();
    List<String> extra = current.stream().filter(t -> !tables.contains(t)).toList();
    try (Statement alter = c.createStatement()) {
      if (!missing.isEmpty()) {
        alter.execute("ALTER PUBLICATION " + quotedName + " ADD TABLE " + tableList(c, missing));
        log.info("publication {}: added tables {}", name, missing);
      }
      if (!extra.isEmpty()) {
        alter.execute("ALTER PUBLICATION " + quotedName + " DROP TABLE " + tableList(c, extra));
        log.info("publication {}: dropped tables {} (no longer mapped)", name, extra);
      }
      alter.execute("ALTER PUBLICATION " + quotedName + " SET (publish = '" + PUBLISH + "')");
    }
    return false;
  }

  /**
   * The creation position of a publication that existed before this start, from its mark; an unmarked one is
   * adopted as this slot's with position 0 (it served the slot before marks existed).
   */
  private long readOrAdoptMark(Connection c, String name) throws SQLException {
    String comment;
    try (PreparedStatement q = c.prepareStatement(
        "SELECT obj_description(oid, 'pg_publication') FROM pg_publication WHERE pubname = ?")) {
      q.setString(1, name);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        comment = r.getString(1);
      }
    }
    Matcher existing = comment == null ? null : MARK.matcher(comment);
    if (existing != null && existing.matches()) {
      if (!existing.group(1).equals(slot)) {
        throw new IllegalStateException("publication " + name + " belongs to the capture of slot " + existing.group(1)
            + ", not " + slot + ": give each slot its own publication");
      }
      return parseLsn(existing.group(2));
    }
    writeMark(c, name, 0L);
    log.info("adopted publication {} as the publication of slot {}", name, slot);
    return 0L;
  }

  private void writeMark(Connection c, String name, long createdAt) throws SQLException {
    try (Statement commentOn = c.createStatement()) {
      commentOn.execute("COMMENT ON PUBLICATION " + quote(c, name) + " IS '" + MARK_PREFIX + slot
          + "; created at LSN " + lsnText(createdAt) + "'");
    }
  }

  /** The publications marked as this slot's, with their creation positions. */
  private Map<String, Long> ownedPublications(Connection c) throws SQLException {
    Map<String, Long> owned = new LinkedHashMap<>();
    try (PreparedStatement q = c.prepareStatement(
        "SELECT pubname, obj_description(oid, 'pg_publication') FROM pg_publication WHERE "
            + "obj_description(oid, 'pg_publication') LIKE ? ORDER BY pubname")) {
      q.setString(1, MARK_PREFIX + slot + ";%");
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          Matcher m = MARK.matcher(r.getString(2));
          if (m.matches() && m.group(1).equals(slot)) {
            owned.put(r.getString(1), parseLsn(m.group(2)));
          }
        }
      }
    }
    return owned;
  }

  private Optional<Long> confirmedFlushLsn(Connection c) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(
        "SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
      q.setString(1, slot);
      try (ResultSet r = q.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        long lsn = r.getLong(1);
        return r.wasNull() ? Optional.empty() : Optional.of(lsn);
      }
    }
  }

  private static long currentLsn(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
      r.next();
      return r.getLong(1);
    }
  }

  private static Optional<Boolean> allTables(Connection c, String name) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT puballtables FROM pg_publication WHERE pubname = ?")) {
      q.setString(1, name);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? Optional.of(r.getBoolean(1)) : Optional.empty();
      }
    }
  }

  private static Set<String> publishedTables(Connection c, String name) throws SQLException {
    Set<String> published = new LinkedHashSet<>();
    try (PreparedStatement q = c.prepareStatement(
        "SELECT n.nspname, t.relname FROM pg_publication p JOIN pg_publication_rel pr ON pr.prpubid = p.oid "
            + "JOIN pg_class t ON t.oid = pr.prrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            + "WHERE p.pubname = ?")) {
      q.setString(1, name);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          published.add(r.getString(1) + "." + r.getString(2));
        }
      }
    }
    return published;
  }

  private static String tableList(Connection c, List<String> qualifiedNames) throws SQLException {
    List<String> quoted = new ArrayList<>();
    for (String qualified : qualifiedNames) {
      int dot = qualified.indexOf('.');
      quoted.add(quote(c, qualified.substring(0, dot)) + "." + quote(c, qualified.substring(dot + 1)));
    }
    return quoted.stream().collect(Collectors.joining(", "));
  }

  private static String quote(Connection c, String identifier) throws SQLException {
    return c.unwrap(PGConnection.class).escapeIdentifier(identifier);
  }

  static String lsnText(long lsn) {
    return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
  }

  static long parseLsn(String text) {
    int slash = text.indexOf('/');
    return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
  }
}
