package io.graphsync.activities.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.dev.PostgresExtension;
import io.graphsync.dev.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/** Upgrades on a real PostgreSQL: a database migrated by an older release takes the newer core migrations. */
@ExtendWith(PostgresExtension.class)
class SchemaMigrationsIT {

  @Test
  void givenADatabaseWithTheSampleAndOnlyTheFirstCoreMigrations_whenMigrated_itAppliesTheNewerCoreOnes(
      PostgresServer postgres) throws Exception {
    String database = "upgrade_" + UUID.randomUUID().toString().replace("-", "");
    PGSimpleDataSource admin = dataSource(postgres, postgres.settings().database());
    try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    }
    PGSimpleDataSource upgraded = dataSource(postgres, database);
    SchemaMigrations.migrate(upgraded, true);
    // the state an installation of the first release is in: core V1, V2 and the sample V100 applied, nothing newer
    try (Connection connection = upgraded.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE graphsync.capture_rejects, graphsync.conflict_audit, "
          + "graphsync.reconciliation_finding, graphsync.reconciliation_run");
      statement.execute("DELETE FROM public.graphsync_schema_history WHERE version IN ('3', '4', '5')");
    }

    int applied = SchemaMigrations.migrate(upgraded, true);

    assertThat(applied).isEqualTo(3);
    try (Connection connection = upgraded.getConnection(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'graphsync' "
             + "AND tablename IN ('capture_rejects', 'conflict_audit', 'reconciliation_run', "
             + "'reconciliation_finding')")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(4);
    }
  }

  private static PGSimpleDataSource dataSource(PostgresServer postgres, String database) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(postgres.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1"));
    dataSource.setUser(postgres.settings().user());
    dataSource.setPassword(postgres.settings().password());
    return dataSource;
  }
}
