package io.graphsync.app.postgres;

import io.graphsync.activities.mapping.MappingLoader;
import io.graphsync.activities.mapping.MappingValidator;
import io.graphsync.activities.schema.RoleGrants;
import io.graphsync.activities.schema.SchemaMigrations;
import io.graphsync.app.GraphsyncProperties;
import io.graphsync.app.backflow.BackflowProperties;
import io.graphsync.app.sync.CaptureProperties;
import io.graphsync.workflows.mapping.GraphMapping;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * graphsync's schema and the mapping at start: the migrations, the mapping validated against the live schema, and
 * the grants of the other roles. Start-up fails with precise errors when the mapping does not fit the live schema.
 */
@Configuration(proxyBeanMethods = false)
class MappingConfiguration {

  private static final Logger log = LoggerFactory.getLogger(MappingConfiguration.class);

  /**
   * Migrates (if enabled), then loads the mapping and validates it against the live schema, both as the migration
   * role; with a migration role of its own, that role then grants the runtime and capture roles exactly what the
   * mapping needs ({@link RoleGrants}), and is not used again.
   */
  @Bean
  GraphMapping graphMapping(DataSource dataSource, GraphsyncProperties properties, PostgresRoles roles,
      PostgresRoleProperties roleProperties, CaptureProperties capture, BackflowProperties backflow) {
    DataSource migration = roles.migrationDataSource(dataSource);
    if (properties.migrate()) {
      int applied = SchemaMigrations.migrate(migration, properties.sampleSchema());
      log.info("schema migrations as {}: {} applied (sample schema {})", roles.migrationUser(), applied,
          properties.sampleSchema() ? "included" : "excluded");
    }
    GraphMapping mapping = new MappingValidator(migration).validate(
        backflow.withPolicies(MappingLoader.load(properties.mappingLocation())));
    log.info("mapping {}: {} tables, {} join tables, back-flow {}", properties.mappingLocation(),
        mapping.tables().size(), mapping.joinTables().size(), mapping.backflow().stream()
            .map(c -> c.name() + " " + c.policy()).toList());
    if (roles.separateMigrationRole() && roleProperties.grantPrivileges()) {
      List<String> granted = RoleGrants.apply(migration, mapping, roles.grants(capture.offsetTableOrDefault()));
      log.info("granted the runtime role {} and the capture role {} their privileges ({} statements as {})",
          roles.runtimeUser(), roles.captureUser(), granted.size(), roles.migrationUser());
    }
    return mapping;
  }
}
