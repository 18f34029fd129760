package io.graphsync.activities.schema;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs graphsync's migrations with Flyway: {@code db/migration/core} always (schema {@code graphsync}, the
 * version trigger, {@code graphsync.enable_sync(table)}), and the sample ContextNexus schema
 * ({@code db/migration/sample}) unless it is turned off. The history table is {@code graphsync_schema_history}
 * in the target schema (default {@code public}), so a user's own Flyway history ({@code flyway_schema_history}) is
 * never touched, and the sample tables land in the default schema (normally {@code public}).
 */
public final class SchemaMigrations {

  public static final String CORE = "classpath:db/migration/core";
  public static final String SAMPLE = "classpath:db/migration/sample";

  private SchemaMigrations() {}

  /** Migrates into the {@code public} schema; returns the number of migrations applied now. */
  public static int migrate(DataSource dataSource, boolean includeSample) {
    return migrate(dataSource, includeSample, "public");
  }

  /**
   * Migrates; returns the number of migrations applied now.
   *
   * @param schema where the history table and the sample tables go. Always explicit: with PostgreSQL's default
   *     {@code search_path} ({@code "$user", public}) a database user named {@code graphsync} would otherwise
   *     resolve unqualified names into graphsync's own schema once it exists.
   */
  public static int migrate(DataSource dataSource, boolean includeSample, String schema) {
    List<String> locations = new ArrayList<>(List.of(CORE));
    if (includeSample) {
      locations.add(SAMPLE);
    }
    MigrateResult result = Flyway.configure()
        .dataSource(dataSource)
        .locations(locations.toArray(String[]::new))
        .defaultSchema(schema)
        .table("graphsync_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        // core (V1, V2, …) and sample (V100…) share one history: a database that already has the sample applies a
        // newer core migration (e.g. V3) "out of order". They touch disjoint objects, so that is safe and needed.
        .outOfOrder(true)
        .load()
        .migrate();
    return result.migrationsExecuted;
  }
}
