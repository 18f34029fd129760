package io.graphsync.app.postgres;

import io.graphsync.activities.schema.RoleGrants;
import io.graphsync.starters.cdc.PostgresUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Which PostgreSQL role each of worker-app's connections uses, resolved from {@code spring.datasource.*} (the
 * runtime role: the activities and health) and {@code graphsync.postgres.*} (the migration and capture roles, each
 * falling back to the runtime role's credentials). All of them connect with the same JDBC URL, with its every
 * parameter (TLS, hosts).
 *
 * @param url the JDBC URL of {@code spring.datasource.url}
 * @param runtimeUser the activities' role
 * @param runtimePassword its password
 * @param migrationUser the role of the migrations at start
 * @param migrationPassword its password
 * @param captureUser the capture's role
 * @param capturePassword its password
 * @param publicationRole the role the capture keeps its publication as (SET ROLE), or null
 * @param writableTables the tables whose mapped columns the runtime role may update ({@code *}: all)
 */
public record PostgresRoles(String url, String runtimeUser, String runtimePassword, String migrationUser,
    String migrationPassword, String captureUser, String capturePassword, String publicationRole,
    Set<String> writableTables) {

  static PostgresRoles of(String url, String user, String password, PostgresRoleProperties properties) {
    PostgresRoleProperties.Credentials migration = properties.migration();
    PostgresRoleProperties.Capture capture = properties.capture();
    String publicationRole = capture.publicationRole() == null || capture.publicationRole().isBlank()
        ? null : capture.publicationRole().strip();
    Set<String> writable = properties.runtimeWritableTables() == null ? Set.of()
        : Set.copyOf(properties.runtimeWritableTables().stream().map(String::strip).filter(t -> !t.isEmpty())
            .toList());
    return new PostgresRoles(url, user, password,
        migration.given() ? migration.username().strip() : user,
        migration.given() ? migration.password() : password,
        capture.given() ? capture.username().strip() : user,
        capture.given() ? capture.password() : password,
        publicationRole, writable);
  }

  /** Whether the migrations run as a role of their own (then worker-app also grants the other roles). */
  boolean separateMigrationRole() {
    return !migrationUser.equals(runtimeUser);
  }

  /** The migrations' data source: the runtime one in a single-role install, else one used only at start. */
  DataSource migrationDataSource(DataSource runtime) {
    if (!separateMigrationRole()) {
      return runtime;
    }
    DriverManagerDataSource dataSource = new DriverManagerDataSource(url, migrationUser, migrationPassword);
    dataSource.setDriverClassName("org.postgresql.Driver");
    return dataSource;
  }

  /** Who gets which object privileges from the migration role: the roles other than the migration role itself. */
  RoleGrants.Roles grants(String offsetTable) {
    return new RoleGrants.Roles(runtimeUser.equals(migrationUser) ? null : runtimeUser,
        captureUser.equals(migrationUser) ? null : captureUser, offsetTable, writableTables);
  }

  /** The credentials in use, for the default-password check: each role once. */
  List<DefaultPasswords.Credential> credentials() {
    List<String> hosts = PostgresUrl.parse(url).hosts();
    List<DefaultPasswords.Credential> credentials = new ArrayList<>();
    credentials.add(new DefaultPasswords.Credential("PostgreSQL runtime role", runtimeUser, runtimePassword, hosts));
    if (!migrationUser.equals(runtimeUser)) {
      credentials.add(new DefaultPasswords.Credential("PostgreSQL migration role", migrationUser, migrationPassword,
          hosts));
    }
    if (!captureUser.equals(runtimeUser) && !captureUser.equals(migrationUser)) {
      credentials.add(new DefaultPasswords.Credential("PostgreSQL capture role", captureUser, capturePassword, hosts));
    }
    return credentials;
  }

  /** One line for the log: who does what. */
  String describe() {
    return "PostgreSQL " + PostgresUrl.parse(url) + ": activities as " + runtimeUser + ", migrations as "
        + migrationUser + ", capture as " + captureUser
        + (publicationRole == null ? "" : " (publication as " + publicationRole + ")")
        + ", business-column writes by the activities: " + (writableTables.isEmpty() ? "none" : writableTables);
  }

  @Override
  public String toString() {
    return describe();
  }
}
