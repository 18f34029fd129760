package io.graphsync.app.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The roles of worker-app's users, each including the ones below it: an operator is also a viewer, a viewer may also
 * read metrics.
 */
public enum Role {
  /** {@code /actuator/prometheus} and {@code /actuator/metrics}: what a metrics scraper needs, nothing more. */
  METRICS,
  /** Read: conflicts and status ({@code GET /api/**}), actuator details, decoded payloads ({@code /codec/decode}). */
  VIEWER,
  /**
   * Act: approve conflicts, start backfills and health checks, every other {@code POST}/{@code PUT}/{@code DELETE}
   * under {@code /api}, and {@code /codec/encode}.
   */
  OPERATOR;

  /** Spring Security's authority name, e.g. {@code ROLE_OPERATOR}. */
  public String authority() {
    return "ROLE_" + name();
  }

  /** The name in configuration, e.g. {@code operator}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code operator} (any case) → {@link #OPERATOR}. */
  public static Role fromConfig(String name) {
    for (Role role : values()) {
      if (role.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role '" + name + "': use one of "
        + Arrays.stream(values()).map(Role::configName).collect(Collectors.joining(", ")));
  }

  /** The hierarchy as Spring Security reads it: operator > viewer > metrics. */
  static String hierarchy() {
    return OPERATOR.authority() + " > " + VIEWER.authority() + "\n" + VIEWER.authority() + " > "
        + METRICS.authority();
  }
}
