package io.graphsync.starters.cdc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A PostgreSQL JDBC URL taken apart by the driver's own parser ({@code org.postgresql.Driver.parseURL}): its hosts
 * and ports (several for failover), the database, and every parameter ({@code sslmode}, {@code sslrootcert},
 * {@code targetServerType}, …). The capture connects with exactly these parameters everywhere: its own JDBC
 * connections use {@link #jdbcUrl()}, and Debezium's connections (the schema queries and the replication stream)
 * get them from {@link #debeziumProperties(String)}, with the one host the capture's own connection reached.
 *
 * <p>Credentials are never part of it: {@code user} and {@code password} in the URL are dropped (the driver would
 * let them override the capture's own credentials), and {@link #toString()} shows no parameter values.
 *
 * @param hosts the hosts, in the URL's order
 * @param ports their ports (the driver fills in 5432)
 * @param database the database
 * @param parameters the URL parameters but {@code user} and {@code password}, sorted by name
 */
public record PostgresUrl(List<String> hosts, List<Integer> ports, String database, Map<String, String> parameters) {

  /**
   * The parameters Debezium's PostgreSQL connector names itself ({@code database.sslmode}, …); every other parameter
   * reaches its connections as a pass-through driver property ({@code driver.<name>}).
   */
  static final Set<String> DEBEZIUM_SSL_PARAMETERS =
      Set.of("sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "sslfactory");

  private static final Set<String> CREDENTIALS = Set.of("user", "password");
  private static final Set<String> PARSED = Set.of("PGHOST", "PGPORT", "PGDBNAME");

  public PostgresUrl {
    hosts = List.copyOf(hosts);
    ports = List.copyOf(ports);
    if (hosts.isEmpty() || hosts.size() != ports.size()) {
      throw new IllegalArgumentException("a PostgreSQL URL needs one port per host: " + hosts + " " + ports);
    }
    if (database == null || database.isBlank()) {
      throw new IllegalArgumentException("a PostgreSQL URL needs a database");
    }
    parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
  }

  /** Parses a {@code jdbc:postgresql:} URL; throws {@link IllegalArgumentException} for anything else. */
  public static PostgresUrl parse(String url) {
    Properties parsed = url == null ? null : org.postgresql.Driver.parseURL(url, null);
    if (parsed == null) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database?...): "
          + (url == null ? null : url.replaceAll("\\?.*", "?…")));
    }
    List<String> hosts = List.of(parsed.getProperty("PGHOST", "localhost").split(","));
    List<Integer> ports = new ArrayList<>();
    for (String port : parsed.getProperty("PGPORT", "5432").split(",")) {
      ports.add(Integer.parseInt(port.strip()));
    }
    Map<String, String> parameters = new TreeMap<>();
    for (String name : parsed.stringPropertyNames()) {
      if (!PARSED.contains(name) && !CREDENTIALS.contains(name)) {
        parameters.put(name, parsed.getProperty(name));
      }
    }
    return new PostgresUrl(hosts, ports, parsed.getProperty("PGDBNAME"), parameters);
  }

  /** A URL of one host without parameters. */
  public static PostgresUrl of(String host, int port, String database) {
    return new PostgresUrl(List.of(host), List.of(port), database, Map.of());
  }

  /** The JDBC URL: every host and parameter of the original, no credentials. */
  public String jdbcUrl() {
    StringBuilder url = new StringBuilder("jdbc:postgresql://").append(hostList(hosts.size())).append('/')
        .append(encode(database));
    if (!parameters.isEmpty()) {
      url.append('?').append(parameters.entrySet().stream()
          .map(p -> encode(p.getKey()) + "=" + encode(p.getValue()))
          .collect(Collectors.joining("&")));
    }
    return url.toString();
  }

  /** The first host, for messages. */
  public String host() {
    return hosts.get(0);
  }

  /** The first host's port, for messages. */
  public int port() {
    return ports.get(0);
  }

  /** {@link #debeziumProperties(String)} for the first host. */
  public Properties debeziumProperties() {
    return debeziumProperties(null);
  }

  /**
   * The connection settings of Debezium's PostgreSQL connector: {@code database.hostname}, {@code database.port},
   * {@code database.dbname}, {@code database.ssl*} for the SSL parameters it names, and {@code driver.<name>} for every
   * other parameter. Debezium builds its URL as {@code jdbc:postgresql://<hostname>:<port>/<dbname>} (for the schema
   * connection and the replication stream alike) and hands {@code database.*} and {@code driver.*} to the driver as
   * connection properties. It takes exactly one host (it refuses a list), so with several the caller names the one
   * to use: the one its own connection reached (a logical slot lives on the primary only).
   *
   * @param server {@code host:port} to connect Debezium to; null: the first host
   */
  public Properties debeziumProperties(String server) {
    String host = hosts.get(0);
    int port = ports.get(0);
    if (server != null) {
      int colon = server.lastIndexOf(':');
      host = server.substring(0, colon);
      port = Integer.parseInt(server.substring(colon + 1));
    }
    Properties p = new Properties();
    p.setProperty("database.hostname", host);
    p.setProperty("database.port", Integer.toString(port));
    p.setProperty("database.dbname", database);
    parameters.forEach((name, value) ->
        p.setProperty((DEBEZIUM_SSL_PARAMETERS.contains(name) ? "database." : "driver.") + name, value));
    return p;
  }

  private String hostList(int count) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(hosts.get(i) + ":" + ports.get(i));
    }
    return String.join(",", list);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Hosts, ports, database and the parameter names; values (e.g. {@code sslpassword}) stay out of logs. */
  @Override
  public String toString() {
    return "jdbc:postgresql://" + hostList(hosts.size()) + "/" + database
        + (parameters.isEmpty() ? "" : " with " + parameters.keySet());
  }
}
