package io.graphsync.app.sync;

import io.graphsync.activities.bulk.BatchSyncActivitiesImpl;
import io.graphsync.activities.bulk.TruncateActivitiesImpl;
import io.graphsync.activities.neo4j.GraphReadActivitiesImpl;
import io.graphsync.activities.neo4j.GraphSchemaInitializer;
import io.graphsync.activities.neo4j.GraphWriteActivitiesImpl;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.activities.status.SyncStatusActivitiesImpl;
import io.graphsync.app.postgres.PostgresRoles;
import io.graphsync.starters.cdc.CaptureMetrics;
import io.graphsync.starters.cdc.CaptureSettings;
import io.graphsync.starters.cdc.LaneRule;
import io.graphsync.starters.cdc.OffsetStorage;
import io.graphsync.starters.cdc.PostgresCapture;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.SyncPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * The PostgreSQL → Neo4j flow: Neo4j constraints, the sync activities (per change, grouped batches, TRUNCATE), the
 * {@link SyncPolicy} every {@code SyncChangeEventWorkflowImpl} gets through its constructor (an immutable value:
 * temporal-spring-boot-starter creates workflow instances with the context's {@code createBean}) and the capture.
 * The workers that register the activities are declared in application.yml.
 */
@Configuration(proxyBeanMethods = false)
class SyncConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SyncConfiguration.class);

  @Bean
  GraphSchemaInitializer graphSchemaInitializer(Neo4jTarget neo4j, GraphMapping mapping) {
    GraphSchemaInitializer initializer = new GraphSchemaInitializer(neo4j);
    List<String> constraints = initializer.initialize(mapping);
    log.info("Neo4j constraints ensured: {}", constraints);
    return initializer;
  }

  @Bean
  SyncPolicy syncPolicy(SyncWorkflowProperties properties) {
    return properties.policy();
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
  GraphWriteActivitiesImpl graphWriteActivities(Neo4jTarget neo4j, GraphMapping mapping, SourceRowReader sourceRows,
      SyncMeters meters, GraphSchemaInitializer constraintsFirst) {
    return new GraphWriteActivitiesImpl(neo4j, mapping, sourceRows, meters);
  }

  @Bean
  GraphReadActivitiesImpl graphReadActivities(Neo4jTarget neo4j, GraphMapping mapping) {
    return new GraphReadActivitiesImpl(neo4j, mapping);
  }

  @Bean
  SyncStatusActivitiesImpl syncStatusActivities(DataSource dataSource, GraphMapping mapping) {
    return new SyncStatusActivitiesImpl(dataSource, mapping);
  }

  /** The graph write and write-back of {@code SyncBatchWorkflow}s (grouped sync of large transactions, backlogs). */
  @Bean
  BatchSyncActivitiesImpl batchSyncActivities(DataSource dataSource, Neo4jTarget neo4j, GraphMapping mapping,
      SyncMeters meters, GraphSchemaInitializer constraintsFirst) {
    return new BatchSyncActivitiesImpl(dataSource, neo4j, mapping, meters);
  }

  /** A captured TRUNCATE of a mapped table: its graph elements are deleted in batches, tombstoned. */
  @Bean
  TruncateActivitiesImpl truncateActivities(Neo4jTarget neo4j, GraphMapping mapping,
      GraphSchemaInitializer constraintsFirst) {
    return new TruncateActivitiesImpl(neo4j, mapping);
  }

  @Bean
  CaptureMetrics captureMetrics() {
    return new CaptureMetrics();
  }

  @Bean
  CaptureSettings captureSettings(PostgresRoles roles, CaptureProperties capture, GraphMapping mapping) {
    CaptureSettings.Builder settings = CaptureSettings.builder()
        // the whole URL: every host and parameter (sslmode, sslrootcert, …) reaches every connection of the capture,
        // Debezium's replication stream included
        .jdbcUrl(roles.url())
        .user(roles.captureUser())
        .password(roles.capturePassword())
        .publicationRole(roles.publicationRole())
        .offsetStorage(new OffsetStorage.PostgresTable(capture.offsetTableOrDefault()))
        .grouping(grouping(capture.grouping()))
        .lanes(lanes(capture.lanes(), mapping))
        .mapping(mapping);
    // unset: the builder's default, the one place of the capture's defaults
    ifSet(capture.slotName(), settings::slotName);
    ifSet(capture.publicationName(), settings::publicationName);
    ifSet(capture.snapshotMode(), settings::snapshotMode);
    ifSet(capture.pollInterval(), settings::pollInterval);
    ifSet(capture.heartbeatInterval(), settings::heartbeatInterval);
    ifSet(capture.maxBatchSize(), settings::maxBatchSize);
    ifSet(capture.maxConcurrentStarts(), settings::maxConcurrentStarts);
    ifSet(capture.taskQueue(), settings::taskQueue);
    ifSet(capture.maxPayloadBytes(), limit -> settings.maxPayloadBytes(payloadLimit(limit)));
    ifSet(capture.stallTimeout(), settings::stallTimeout);
    ifSet(capture.retainedWalWarning(), limit -> settings.retainedWalWarningBytes(limit.toBytes()));
    ifSet(capture.slotCheckInterval(), settings::slotCheckInterval);
    return settings.build();
  }

  private static <T> void ifSet(T value, Consumer<T> setter) {
    if (value != null && !(value instanceof String text && text.isBlank())) {
      setter.accept(value);
    }
  }

  private static CaptureSettings.Grouping grouping(CaptureProperties.Grouping grouping) {
    CaptureSettings.Grouping defaults = CaptureSettings.Grouping.DEFAULT;
    if (grouping == null) {
      return defaults;
    }
    if (!(grouping.enabled() == null ? defaults.enabled() : grouping.enabled())) {
      return CaptureSettings.Grouping.OFF;
    }
    return new CaptureSettings.Grouping(true,
        grouping.threshold() == null ? defaults.threshold() : grouping.threshold(),
        grouping.maxInFlight() == null ? defaults.maxInFlight() : grouping.maxInFlight(),
        grouping.maxBatchEvents() == null ? defaults.maxBatchEvents() : grouping.maxBatchEvents(),
        grouping.maxBatchBytes() == null ? defaults.maxBatchBytes() : payloadLimit(grouping.maxBatchBytes()),
        grouping.inFlightCheckInterval() == null ? defaults.inFlightCheckInterval()
            : grouping.inFlightCheckInterval());
  }

  /** The lane rules, checked against the mapping: a rule naming a table the mapping lacks stops the start. */
  static List<LaneRule> lanes(List<CaptureProperties.Lane> lanes, GraphMapping mapping) {
    List<LaneRule> rules = new ArrayList<>();
    for (CaptureProperties.Lane lane : lanes == null ? List.<CaptureProperties.Lane>of() : lanes) {
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
      CaptureProperties properties) {
    return new CaptureLifecycle(properties.enabled()
        ? new PostgresCapture(settings, client, metrics)
        : null);
  }
}
