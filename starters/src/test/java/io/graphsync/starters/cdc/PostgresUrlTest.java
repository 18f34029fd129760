package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class PostgresUrlTest {

  private static final String TLS_URL = "jdbc:postgresql://db.example:5433/app?sslmode=verify-full"
      + "&sslrootcert=/etc/graphsync/ca.pem&sslcert=/etc/graphsync/client.crt&sslkey=/etc/graphsync/client.pk8"
      + "&sslpassword=s3cret&connectTimeout=7&ApplicationName=graphsync";

  @Test
  void givenTlsParameters_whenParsed_itKeepsEveryParameterInTheCapturesJdbcUrl() {
    PostgresUrl url = PostgresUrl.parse(TLS_URL);

    assertThat(url.hosts()).containsExactly("db.example");
    assertThat(url.ports()).containsExactly(5433);
    assertThat(url.database()).isEqualTo("app");
    assertThat(PostgresUrl.parse(url.jdbcUrl())).isEqualTo(url);
    assertThat(url.jdbcUrl()).contains("sslmode=verify-full", "sslrootcert=%2Fetc%2Fgraphsync%2Fca.pem",
        "sslcert=", "sslkey=", "sslpassword=s3cret", "connectTimeout=7", "ApplicationName=graphsync");
  }

  @Test
  void givenTlsParameters_whenMappedForDebezium_itSetsItsSslSettingsAndPassesTheOthersToTheDriver() {
    Properties p = PostgresUrl.parse(TLS_URL).debeziumProperties();

    assertThat(p)
        .containsEntry("database.hostname", "db.example")
        .containsEntry("database.port", "5433")
        .containsEntry("database.dbname", "app")
        .containsEntry("database.sslmode", "verify-full")
        .containsEntry("database.sslrootcert", "/etc/graphsync/ca.pem")
        .containsEntry("database.sslcert", "/etc/graphsync/client.crt")
        .containsEntry("database.sslkey", "/etc/graphsync/client.pk8")
        .containsEntry("database.sslpassword", "s3cret")
        .containsEntry("driver.connectTimeout", "7")
        .containsEntry("driver.ApplicationName", "graphsync")
        .hasSize(10);
  }

  @Test
  void givenSeveralHosts_whenMappedForDebezium_itGetsTheOneTheCaptureReachedAndTheirParameters() {
    PostgresUrl url = PostgresUrl.parse(
        "jdbc:postgresql://pg-a:5432,pg-b:5433,pg-c/app?targetServerType=primary&sslmode=require");

    Properties p = url.debeziumProperties("pg-b:5433");

    assertThat(url.hosts()).containsExactly("pg-a", "pg-b", "pg-c");
    assertThat(url.ports()).containsExactly(5432, 5433, 5432);
    // Debezium validates database.hostname as one plain host name
    assertThat(p).containsEntry("database.hostname", "pg-b").containsEntry("database.port", "5433");
    assertThat(url.debeziumProperties()).containsEntry("database.hostname", "pg-a");
    assertThat(p)
        .containsEntry("driver.targetServerType", "primary")
        .containsEntry("database.sslmode", "require");
    assertThat(url.jdbcUrl())
        .isEqualTo("jdbc:postgresql://pg-a:5432,pg-b:5433,pg-c:5432/app?sslmode=require&targetServerType=primary");
  }

  @Test
  void givenCredentialsInTheUrl_whenParsed_itDropsThemSoTheCapturesOwnCredentialsApply() {
    PostgresUrl url = PostgresUrl.parse("jdbc:postgresql://db/app?user=owner&password=pw&sslmode=require");

    assertThat(url.parameters()).containsOnlyKeys("sslmode");
    assertThat(url.debeziumProperties()).doesNotContainKeys("driver.user", "driver.password");
    assertThat(url.toString()).doesNotContain("pw").contains("sslmode");
  }

  @Test
  void givenSomethingElse_whenParsed_itSaysWhatItExpects() {
    assertThatThrownBy(() -> PostgresUrl.parse("jdbc:mysql://db/app?password=x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a PostgreSQL JDBC URL")
        .hasMessageNotContaining("password=x");
  }

  @Test
  void givenAJdbcUrl_whenTheCaptureIsBuilt_everyConnectionOfItGetsTheParameters() {
    CaptureSettings settings = CaptureSettings.builder().jdbcUrl(TLS_URL + "&user=ignored").user("graphsync_capture")
        .password("pw").mapping(ChangeRecords.MAPPING).build();

    Properties p = DebeziumProperties.of(settings, new MappedTables(settings.mapping(), settings.defaultSchema()),
        "graphsync_pub");

    assertThat(settings.host()).isEqualTo("db.example");
    assertThat(settings.port()).isEqualTo(5433);
    assertThat(settings.database()).isEqualTo("app");
    assertThat(settings.jdbcUrl()).contains("sslmode=verify-full").doesNotContain("ignored");
    assertThat(p)
        .containsEntry("database.user", "graphsync_capture")
        .containsEntry("database.sslmode", "verify-full")
        .containsEntry("database.sslrootcert", "/etc/graphsync/ca.pem")
        .containsEntry("driver.connectTimeout", "7")
        // the offset store's connections too
        .containsEntry(PostgresOffsetBackingStore.URL, settings.jdbcUrl());
  }
}
