package io.graphsync.app;

import io.graphsync.activities.mapping.MappingLoader;
import io.graphsync.activities.mapping.MappingValidator;
import io.graphsync.activities.neo4j.GraphSchemaInitializer;
import io.graphsync.activities.neo4j.GraphWriteActivitiesImpl;
import io.graphsync.activities.schema.RoleGrants;
import io.graphsync.activities.schema.SchemaMigrations;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.activities.status.SyncStatusActivitiesImpl;
import io.graphsync.starters.cdc.CaptureMetrics;
import io.graphsync.starters.cdc.CaptureSettings;
import io.graphsync.starters.cdc.LaneRule;
import io.graphsync.starters.cdc.OffsetStorage;
import io.graphsync.starters.cdc.PostgresCapture;
import io.graphsync.workflows.mapping.GraphMapping;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.ArrayList;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * The PostgreSQL → Neo4j flow: schema migrations, the validated mapping, Neo4j constraints, the sync activities
 * and the capture. Start-up fails with precise errors when the mapping does not fit the live schema.
 */
@Configuration(proxyBeanMethods = false)
class SyncConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SyncConfiguration.class);

  /**
   * Migrates (if enabled), then loads the mapping and validates it against the live schema, both as the migration
   * role; with a migration role of its own, that role then grants the runtime and capture roles exactly what the
   * mapping needs ({@link RoleGrants}), and is not used again.
   */
  @Bean
  GraphMapping graphMapping(DataSource dataSource, GraphsyncProperties properties, PostgresRoles roles,
      PostgresRoleProperties roleProperties, BackflowProperties backflow) {
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
      List<String> granted = RoleGrants.apply(migration, mapping, roles.grants(properties.capture().offsetTable()));
      log.info("granted the runtime role {} and the capture role {} their privileges ({} statements as {})",
          roles.runtimeUser(), roles.captureUser(), granted.size(), roles.migrationUser());
    }
    return mapping;
  }

  @Bean
  GraphSchemaInitializer graphSchemaInitializer(Driver driver, GraphMapping mapping) {
    GraphSchemaInitializer initializer = new GraphSchemaInitializer(driver, null);
    List<String> constraints = initializer.initialize(mapping);
    log.info("Neo4j constraints ensured: {}", constraints);
    return initializer;
  }

  /** Re-reads the rows of changes whose data was left out (over the payload limit, or an operator's retry). */
  @Bean
  SourceRowReader sourceRowReader(DataSource dataSource, GraphMapping mapping) {
    return new SourceRowReader(dataSource, mapping);
  }

  /** The sync activities' latency and failure meters (per-change and batch path). */
  @Bean
  SyncMeters syncMeters(MeterRegistry registry) {
    return new SyncMeters(registry, Clock.systemUTC());
  }

  @Bean
  GraphWriteActivitiesImpl graphWriteActivities(Driver driver, GraphMapping mapping, SourceRowReader sourceRows,
      SyncMeters meters, GraphSchemaInitializer constraintsFirst) {
    return new GraphWriteActivitiesImpl(driver, mapping, null, sourceRows, meters);
  }

  @Bean
  SyncStatusActivitiesImpl syncStatusActivities(DataSource dataSource, GraphMapping mapping) {
    return new SyncStatusActivitiesImpl(dataSource, mapping);
  }

  @Bean
  CaptureMetrics captureMetrics() {
    return new CaptureMetrics();
  }

  @Bean
  CaptureSettings captureSettings(PostgresRoles roles, GraphsyncProperties properties, GraphMapping mapping) {
    GraphsyncProperties.Capture capture = properties.capture();
    return CaptureSettings.builder()
        // the whole URL: every host and parameter (sslmode, sslrootcert, …) reaches every connection of the capture,
        // Debezium's replication stream included
        .jdbcUrl(roles.url())
        .user(roles.captureUser())
        .password(roles.capturePassword())
        .publicationRole(roles.publicationRole())
        .slotName(capture.slotName())
        .publicationName(capture.publicationName())
        .snapshotMode(capture.snapshotMode())
        .offsetStorage(new OffsetStorage.PostgresTable(capture.offsetTable()))
        .pollInterval(capture.pollInterval())
        .heartbeatInterval(capture.heartbeatInterval())
        .maxBatchSize(capture.maxBatchSize())
        .maxConcurrentStarts(capture.maxConcurrentStarts())
        .taskQueue(capture.taskQueue())
        .maxPayloadBytes(payloadLimit(capture.maxPayloadBytes()))
        .stallTimeout(capture.stallTimeout())
        .retainedWalWarningBytes(capture.retainedWalWarning().toBytes())
        .slotCheckInterval(capture.slotCheckInterval())
        .grouping(grouping(capture.grouping()))
        .lanes(lanes(capture.lanes(), mapping))
        .mapping(mapping)
        .build();
  }

  private static CaptureSettings.Grouping grouping(GraphsyncProperties.Grouping grouping) {
    if (grouping == null || !grouping.enabled()) {
      return CaptureSettings.Grouping.OFF;
    }
    return new CaptureSettings.Grouping(true, grouping.threshold(), grouping.maxInFlight(), grouping.maxBatchEvents(),
        payloadLimit(grouping.maxBatchBytes()), grouping.inFlightCheckInterval());
  }

  /** The lane rules, checked against the mapping: a rule naming a table the mapping lacks stops the start. */
  static List<LaneRule> lanes(List<GraphsyncProperties.Lane> lanes, GraphMapping mapping) {
    List<LaneRule> rules = new ArrayList<>();
    for (GraphsyncProperties.Lane lane : lanes == null ? List.<GraphsyncProperties.Lane>of() : lanes) {
      List<String> tables = lane.tables().stream().filter(t -> !t.isBlank()).map(String::strip).toList();
      List<String> tenants = lane.tenants().stream().filter(t -> !t.isBlank()).map(String::strip).toList();
      if (tables.isEmpty() && tenants.isEmpty()) {
        continue; // e.g. GRAPHSYNC_CRITICAL_TABLES set to nothing: no rule
      }
      List<String> unmapped = tables.stream()
          .filter(t -> mapping.table(t).isEmpty() && mapping.joinTable(t).isEmpty()).toList();
      if (!unmapped.isEmpty()) {
        throw new IllegalStateException("graphsync.capture.lanes: the lane " + lane.taskQueue() + " names tables the "
            + "mapping does not have: " + unmapped);
      }
      rules.add(new LaneRule(lane.taskQueue(), Set.copyOf(tables), Set.copyOf(tenants)));
    }
    return rules;
  }

  private static int payloadLimit(DataSize limit) {
    if (limit == null || limit.toBytes() <= 0 || limit.toBytes() > Integer.MAX_VALUE) {
      throw new IllegalStateException("graphsync.capture.max-payload-bytes must be positive and under 2GB: " + limit);
    }
    return (int) limit.toBytes();
  }

  /** Micrometer binds it: the capture's counters and its slot's gauges. */
  @Bean
  CaptureMeters captureMeters(CaptureLifecycle capture, CaptureMetrics metrics) {
    return new CaptureMeters(capture, metrics);
  }

  @Bean
  CaptureLifecycle captureLifecycle(CaptureSettings settings, WorkflowClient client, CaptureMetrics metrics,
      GraphsyncProperties properties) {
    return new CaptureLifecycle(properties.capture().enabled()
        ? new PostgresCapture(settings, client, metrics)
        : null);
  }
}
