package io.graphsync.app.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * What worker-app accepts as a user's password. Every password names its encoding ({@code {bcrypt}…},
 * {@code {noop}…}). On a loopback address anything else goes (the local stack); bound to any other address (or to
 * all of them: no {@code server.address}), a missing password, a {@code {noop}} one shorter than
 * {@value #MIN_PLAIN_LENGTH} characters, the user's own name or a well-known default stops the start.
 */
public final class PasswordPolicy {

  static final int MIN_PLAIN_LENGTH = 12;

  /** Passwords that come with examples, images and habits: never on a reachable address. */
  static final List<String> WELL_KNOWN = List.of("password", "changeme", "change-me", "secret", "admin", "operator",
      "viewer", "metrics", "graphsync", "graphsync-dev", "neo4j", "postgres", "temporal", "123456", "12345678");

  private PasswordPolicy() {}

  /** Whether {@code address} (a {@code server.address} value; blank means every interface) is loopback only. */
  public static boolean isLoopback(String address) {
    if (address == null || address.isBlank()) {
      return false;
    }
    try {
      InetAddress resolved = InetAddress.getByName(address.strip());
      return resolved.isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Why {@code user}'s password is unacceptable on a reachable address, or null when it is fine. The check matches the
   * encoded password against the well-known ones, so it works for {@code {bcrypt}} too.
   */
  static String weakness(SecurityProperties.User user, PasswordEncoder encoder) {
    String password = user.password();
    if (password == null || password.isBlank()) {
      return "has no password";
    }
    if (password.startsWith("{noop}") && password.length() - "{noop}".length() < MIN_PLAIN_LENGTH) {
      return "has a {noop} password shorter than " + MIN_PLAIN_LENGTH + " characters";
    }
    Set<String> candidates = new LinkedHashSet<>(WELL_KNOWN);
    if (user.name() != null) {
      candidates.add(user.name());
      candidates.add(user.name().toLowerCase(Locale.ROOT));
    }
    for (String candidate : candidates) {
      if (encoder.matches(candidate, password)) {
        return "has a well-known password";
      }
    }
    return null;
  }

  /**
   * Refuses to start on a non-loopback address when any configured user has a weak or missing password, or none
   * has a password at all.
   *
   * @throws IllegalStateException naming each offending user (never the password) and what to do
   */
  static void check(List<SecurityProperties.User> users, List<String> boundAddresses, PasswordEncoder encoder) {
    List<String> reachable = boundAddresses.stream().filter(address -> !isLoopback(address)).toList();
    if (reachable.isEmpty()) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (SecurityProperties.User user : users) {
      String weakness = weakness(user, encoder);
      if (weakness != null) {
        problems.add("user '" + user.name() + "' " + weakness);
      }
    }
    if (users.isEmpty()) {
      problems.add("no user is configured");
    }
    if (!problems.isEmpty()) {
      String where = reachable.stream().map(a -> a == null || a.isBlank() ? "every interface" : a).toList()
          .toString();
      throw new IllegalStateException("worker-app is bound to " + where + " (server.address), not loopback only, and "
          + String.join("; ", problems) + ". Set strong passwords in graphsync.security.users[*].password "
          + "(e.g. GRAPHSYNC_OPERATOR_PASSWORD='{bcrypt}$2a$10$…'), or bind to 127.0.0.1 (GRAPHSYNC_HTTP_ADDRESS).");
    }
  }
}
