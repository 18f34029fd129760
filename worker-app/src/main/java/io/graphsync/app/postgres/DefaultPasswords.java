package io.graphsync.app.postgres;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Database passwords that are defaults (the ones application.yml falls back to, the usual vendor defaults, empty, or
 * the user name): never used silently. worker-app logs each one loudly, and refuses to start when the server it
 * protects or worker-app's own HTTP port is reachable beyond loopback, unless
 * {@code graphsync.postgres.allow-default-passwords} says otherwise.
 */
final class DefaultPasswords {

  /** application.yml's fallbacks ({@code graphsync}, {@code graphsync-dev}) and the vendors' usual ones. */
  static final Set<String> KNOWN = Set.of("graphsync", "graphsync-dev", "postgres", "neo4j", "password", "secret",
      "changeme");

  /**
   * One credential in use.
   *
   * @param what e.g. "PostgreSQL runtime role"
   * @param user the user name
   * @param password the password
   * @param hosts the hosts of the server it logs in to
   */
  record Credential(String what, String user, String password, List<String> hosts) {}

  private DefaultPasswords() {}

  static boolean isDefault(String user, String password) {
    return password == null || password.isBlank() || KNOWN.contains(password) || password.equals(user);
  }

  /**
   * The warnings to log for default passwords.
   *
   * @param httpAddress {@code server.address}; empty or null: every interface
   * @throws IllegalStateException when a default password is used while its server or the HTTP port is reachable
   *     beyond loopback, and {@code allow} is false
   */
  static List<String> check(List<Credential> credentials, String httpAddress, boolean allow) {
    List<String> warnings = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    boolean httpLoopback = httpAddress != null && !httpAddress.isBlank() && isLoopback(httpAddress);
    for (Credential credential : credentials) {
      if (!isDefault(credential.user(), credential.password())) {
        continue;
      }
      boolean serverLoopback = credential.hosts().stream().allMatch(DefaultPasswords::isLoopback);
      String message = credential.what() + " '" + credential.user() + "' uses a default password";
      if (serverLoopback && httpLoopback) {
        warnings.add(message + " (acceptable only on a development machine: server and HTTP port on loopback)");
      } else {
        refusals.add(message + (serverLoopback ? "" : " on a server beyond loopback " + credential.hosts())
            + (httpLoopback ? "" : ", and worker-app's HTTP port is bound beyond loopback ("
                + (httpAddress == null || httpAddress.isBlank() ? "all interfaces" : httpAddress) + ")"));
      }
    }
    if (!refusals.isEmpty() && !allow) {
      throw new IllegalStateException("refusing to start with default database passwords: "
          + String.join("; ", refusals) + ". Set the passwords (GRAPHSYNC_PG_PASSWORD, GRAPHSYNC_PG_*_PASSWORD, "
          + "GRAPHSYNC_NEO4J_PASSWORD), or graphsync.postgres.allow-default-passwords=true in a lab");
    }
    refusals.forEach(r -> warnings.add(r + " (allowed by graphsync.postgres.allow-default-passwords)"));
    return warnings;
  }

  static boolean isLoopback(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      for (InetAddress address : InetAddress.getAllByName(bare)) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
