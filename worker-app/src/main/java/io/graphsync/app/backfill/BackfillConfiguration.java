package io.graphsync.app.backfill;

import io.graphsync.activities.bulk.BackfillActivitiesImpl;
import io.graphsync.activities.neo4j.GraphSchemaInitializer;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.starters.bulk.BackfillStarter;
import io.graphsync.workflows.bulk.BackfillPolicy;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.temporal.client.WorkflowClient;
import javax.sql.DataSource;
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
  BackfillActivitiesImpl backfillActivities(DataSource dataSource, Neo4jTarget neo4j, GraphMapping mapping,
      GraphSchemaInitializer constraintsFirst) {
    return new BackfillActivitiesImpl(dataSource, neo4j, mapping);
  }

  @Bean
  BackfillStarter backfillStarter(WorkflowClient workflowClient, GraphMapping mapping) {
    return new BackfillStarter(workflowClient, table -> mapping.table(table).map(TableMapping::label).orElse(null));
  }
}
