package io.graphsync.app.backfill;

import io.graphsync.activities.bulk.BackfillActivitiesImpl;
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
 * Backfills: the activities (on the {@code sync-bulk} worker, see application.yml), the policy every
 * {@code BackfillWorkflowImpl} gets through its constructor, and the starter behind {@code POST /api/backfill}.
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

  @Bean
  BackfillStarter backfillStarter(WorkflowClient workflowClient, GraphMapping mapping) {
    return new BackfillStarter(workflowClient, table -> mapping.table(table).map(TableMapping::label).orElse(null));
  }
}
