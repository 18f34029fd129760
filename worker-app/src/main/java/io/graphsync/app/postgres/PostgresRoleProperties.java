package io.graphsync.app.postgres;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * graphsync's PostgreSQL roles ({@code graphsync.postgres.*}; docs/security.md). The activities connect with
 * {@code spring.datasource.*} (the runtime role); the migrations and the capture may use roles of their own. A role
 * left without a username uses {@code spring.datasource}'s credentials: one role for everything, the simple install.
 *
 * @param migration the role that runs the migrations at start and owns what they create; with its own username,
 *     worker-app uses it only at start: migrations, the mapping's validation, and the grants of the other roles
 * @param capture the role of the capture (REPLICATION): the replication stream, its lease, offsets, rejects and
 *     publication
 * @param runtimeWritableTables mapped tables whose mapped property columns the runtime role may update (KEEP_NEO4J
 *     decisions; declared Neo4j → PostgreSQL cases); {@code *}: every mapped table; empty: none
 * @param grantPrivileges whether worker-app grants the runtime and capture roles their object privileges at start
 *     (as the migration role, from the mapping), when the migration role is a role of its own
 * @param allowDefaultPasswords start even with a default password while PostgreSQL, Neo4j or the HTTP port is
 *     reachable beyond loopback (never sensible outside a lab)
 */
@ConfigurationProperties("graphsync.postgres")
public record PostgresRoleProperties(
    @DefaultValue Credentials migration,
    @DefaultValue Capture capture,
    @DefaultValue("*") List<String> runtimeWritableTables,
    @DefaultValue("true") boolean grantPrivileges,
    @DefaultValue("false") boolean allowDefaultPasswords) {

  /**
   * @param username the role; empty: {@code spring.datasource.username}
   * @param password its password
   */
  public record Credentials(String username, String password) {
    boolean given() {
      return username != null && !username.isBlank();
    }
  }

  /**
   * @param username the role (REPLICATION); empty: {@code spring.datasource.username}
   * @param password its password
   * @param publicationRole the mapped tables' owner, to which the capture switches ({@code SET ROLE}) on the one
   *     connection that creates and alters its publication (PostgreSQL lets only a table's owner publish it); empty:
   *     the capture role keeps the publication itself (it is superuser or owns the tables)
   */
  public record Capture(String username, String password, String publicationRole) {
    boolean given() {
      return username != null && !username.isBlank();
    }
  }
}
