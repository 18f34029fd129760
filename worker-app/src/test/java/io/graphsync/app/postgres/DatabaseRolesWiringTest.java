package io.graphsync.app.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.activities.schema.RoleGrants;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class DatabaseRolesWiringTest {

  private static final String URL = "jdbc:postgresql://pg-a:5432,pg-b:5432/app?sslmode=verify-full"
      + "&sslrootcert=/etc/graphsync/ca.pem";

  private static PostgresRoleProperties properties(String migrationUser, String captureUser, String publicationRole,
      List<String> writable) {
    return new PostgresRoleProperties(
        new PostgresRoleProperties.Credentials(migrationUser, migrationUser == null ? null : "m-secret-1"),
        new PostgresRoleProperties.Capture(captureUser, captureUser == null ? null : "c-secret-1", publicationRole),
        writable, true, false);
  }

  @Test
  void givenNoOtherRoles_whenResolved_everyConnectionUsesTheDatasourceRole() {
    PostgresRoles roles = PostgresRoles.of(URL, "graphsync", "s3cret-x", properties("", " ", "", List.of("*")));

    assertThat(roles.migrationUser()).isEqualTo("graphsync");
    assertThat(roles.captureUser()).isEqualTo("graphsync");
    assertThat(roles.capturePassword()).isEqualTo("s3cret-x");
    assertThat(roles.publicationRole()).isNull();
    assertThat(roles.separateMigrationRole()).isFalse();
    DriverManagerDataSource runtime = new DriverManagerDataSource(URL);
    assertThat(roles.migrationDataSource(runtime)).isSameAs(runtime);
    assertThat(roles.credentials()).singleElement().extracting(DefaultPasswords.Credential::hosts)
        .isEqualTo(List.of("pg-a", "pg-b"));
  }

  @Test
  void givenThreeRoles_whenResolved_eachConnectionUsesItsOwnAndTheMigrationRoleGrantsTheOthers() {
    PostgresRoles roles = PostgresRoles.of(URL, "graphsync_runtime", "r-secret-1",
        properties("graphsync_migrate", "graphsync_capture", "graphsync_migrate", List.of("concepts", " ")));

    assertThat(roles.separateMigrationRole()).isTrue();
    assertThat(roles.migrationDataSource(new DriverManagerDataSource(URL)))
        .isInstanceOfSatisfying(DriverManagerDataSource.class, ds -> {
          assertThat(ds.getUrl()).isEqualTo(URL);
          assertThat(ds.getUsername()).isEqualTo("graphsync_migrate");
          assertThat(ds.getPassword()).isEqualTo("m-secret-1");
        });
    assertThat(roles.captureUser()).isEqualTo("graphsync_capture");
    assertThat(roles.publicationRole()).isEqualTo("graphsync_migrate");
    assertThat(roles.grants("graphsync.capture_offsets")).isEqualTo(new RoleGrants.Roles("graphsync_runtime",
        "graphsync_capture", "graphsync.capture_offsets", Set.of("concepts")));
    assertThat(roles.describe()).contains("pg-a:5432,pg-b:5432", "sslmode", "activities as graphsync_runtime",
        "capture as graphsync_capture (publication as graphsync_migrate)").doesNotContain("secret");
  }

  @Test
  void givenTheCaptureRoleAlsoMigrates_whenGranting_itGrantsOnlyTheRuntimeRole() {
    PostgresRoles roles = PostgresRoles.of(URL, "graphsync_runtime", "r-secret-1",
        properties("graphsync_owner", "graphsync_owner", null, List.of()));

    assertThat(roles.grants("graphsync.capture_offsets").captureRole()).isNull();
    assertThat(roles.grants("graphsync.capture_offsets").runtimeRole()).isEqualTo("graphsync_runtime");
    assertThat(roles.writableTables()).isEmpty();
  }

  @Test
  void givenADefaultPasswordOnLoopback_whenChecked_itWarnsLoudlyButStarts() {
    List<String> warnings = DefaultPasswords.check(List.of(
        new DefaultPasswords.Credential("PostgreSQL runtime role", "graphsync", "graphsync", List.of("127.0.0.1")),
        new DefaultPasswords.Credential("Neo4j user", "neo4j", "f00-bar-baz", List.of("localhost"))),
        "127.0.0.1", false);

    assertThat(warnings).singleElement().asString().contains("PostgreSQL runtime role 'graphsync'", "default");
  }

  @Test
  void givenADefaultPasswordForARemoteServer_whenChecked_itRefusesToStart() {
    assertThatThrownBy(() -> DefaultPasswords.check(List.of(
        new DefaultPasswords.Credential("PostgreSQL capture role", "cap", "graphsync", List.of("10.1.2.3"))),
        "127.0.0.1", false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refusing to start").hasMessageContaining("10.1.2.3");
  }

  @Test
  void givenADefaultPasswordAndHttpOnAllInterfaces_whenChecked_itRefusesUnlessAllowed() {
    List<DefaultPasswords.Credential> credentials = List.of(
        new DefaultPasswords.Credential("Neo4j user", "neo4j", "graphsync-dev", List.of("127.0.0.1")));

    assertThatThrownBy(() -> DefaultPasswords.check(credentials, "0.0.0.0", false))
        .hasMessageContaining("HTTP port is bound beyond loopback (0.0.0.0)");
    assertThatThrownBy(() -> DefaultPasswords.check(credentials, null, false))
        .hasMessageContaining("all interfaces");
    assertThat(DefaultPasswords.check(credentials, "0.0.0.0", true)).singleElement().asString()
        .contains("allowed by graphsync.postgres.allow-default-passwords");
  }

  @Test
  void givenEmptyOrUserNamePasswords_whenChecked_theyCountAsDefaults() {
    assertThat(DefaultPasswords.isDefault("graphsync_runtime", "")).isTrue();
    assertThat(DefaultPasswords.isDefault("graphsync_runtime", null)).isTrue();
    assertThat(DefaultPasswords.isDefault("graphsync_runtime", "graphsync_runtime")).isTrue();
    assertThat(DefaultPasswords.isDefault("graphsync_runtime", "Zq7-generated-9f")).isFalse();
  }
}
