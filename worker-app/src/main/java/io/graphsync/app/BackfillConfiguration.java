package io.graphsync.app;

import io.graphsync.activities.bulk.BackfillActivitiesImpl;
import io.graphsync.activities.bulk.BatchSyncActivitiesImpl;
import io.graphsync.activities.bulk.TruncateActivitiesImpl;
import io.graphsync.activities.neo4j.GraphSchemaInitializer;
import io.graphsync.starters.bulk.BackfillStarter;
import io.graphsync.workflows.bulk.BackfillPolicy;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.temporal.client.WorkflowClient;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bulk lane ({@code sync-bulk}). Backfills: the activities (on the {@code sync-bulk} worker, see application.yml),
 * the policy every {@code BackfillWorkflowImpl} gets through its constructor, and the starter behind
 * {@code POST /api/backfill}. Grouped sync: the activities of {@code SyncBatchWorkflow}s, which the capture starts for
 * large transactions and backlogs.
 */
@Configuration(proxyBeanMethods = false)
class BackfillConfiguration {

  @Bean
  BackfillPolicy backfillPolicy(BackfillProperties properties) {
    return properties.policy();
  }

  @Bean
  BackfillActivitiesImpl backfillActivities(DataSource dataSource, Driver driver, GraphMapping mapping,
      GraphSchemaInitializer constraintsFirst) {
    return new BackfillActivitiesImpl(dataSource, driver, mapping, null);
  }

  /** The graph write and write-back of {@code SyncBatchWorkflow}s (grouped sync of large transactions, backlogs). */
  @Bean
  BatchSyncActivitiesImpl batchSyncActivities(DataSource dataSource, Driver driver, GraphMapping mapping,
      SyncMeters meters, GraphSchemaInitializer constraintsFirst) {
    return new BatchSyncActivitiesImpl(dataSource, driver, mapping, null, meters);
  }

  /** A captured TRUNCATE of a mapped table: its graph elements are deleted in batches, tombstoned. */
  @Bean
  TruncateActivitiesImpl truncateActivities(Driver driver, GraphMapping mapping,
      GraphSchemaInitializer constraintsFirst) {
    return new TruncateActivitiesImpl(driver, mapping, null);
  }

  @Bean
  BackfillStarter backfillStarter(WorkflowClient workflowClient, GraphMapping mapping) {
    return new BackfillStarter(workflowClient, table -> mapping.table(table).map(TableMapping::label).orElse(null));
  }
}
