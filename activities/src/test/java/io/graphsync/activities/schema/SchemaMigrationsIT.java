package io.graphsync.activities.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.testing.Sql;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Upgrades on a real PostgreSQL: a database migrated by an older release takes the newer core migrations. */
@ExtendWith(GraphsyncExtension.class)
class SchemaMigrationsIT {

  @Test
  void givenADatabaseWithTheSampleAndOnlyTheFirstCoreMigrations_whenMigrated_itAppliesTheNewerCoreOnes(
      GraphsyncStack stack) throws Exception {
    DataSource upgraded = stack.database("upgrade_" + UUID.randomUUID().toString().replace("-", ""));
    Sql sql = new Sql(upgraded);
    SchemaMigrations.migrate(upgraded, true);
    // the state an installation of the first release is in: core V1, V2 and the sample V100 applied, nothing newer
    sql.execute("DROP TABLE graphsync.capture_rejects, graphsync.conflict_audit, "
        + "graphsync.reconciliation_finding, graphsync.reconciliation_run");
    sql.execute("DELETE FROM public.graphsync_schema_history WHERE version IN ('3', '4', '5')");

    int applied = SchemaMigrations.migrate(upgraded, true);

    assertThat(applied).isEqualTo(3);
    assertThat(sql.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'graphsync' "
        + "AND tablename IN ('capture_rejects', 'conflict_audit', 'reconciliation_run', "
        + "'reconciliation_finding')")).isEqualTo(4);
  }
}
