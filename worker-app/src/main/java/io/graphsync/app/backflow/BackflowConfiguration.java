package io.graphsync.app.backflow;

import io.graphsync.activities.backflow.BackflowActivitiesImpl;
import io.graphsync.activities.backflow.BackflowSchema;
import io.graphsync.activities.backflow.GraphStampActivitiesImpl;
import io.graphsync.activities.backflow.PendingEditBatchGuard;
import io.graphsync.activities.backflow.PendingEditGuard;
import io.graphsync.activities.bulk.BatchSyncActivitiesImpl;
import io.graphsync.activities.neo4j.GraphSchemaInitializer;
import io.graphsync.activities.neo4j.GraphWriteActivitiesImpl;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.starters.backflow.BackflowPollerStarter;
import io.graphsync.starters.backflow.BackflowStartActivitiesImpl;
import io.graphsync.workflows.TaskQueues;
import io.graphsync.workflows.mapping.GraphMapping;
import io.temporal.client.WorkflowClient;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The back-flow from Neo4j (declared cases only): its activities (on the {@code sync-neo4j} worker; the stamp of its
 * own captured writes on every lane that runs {@code SyncChangeEventWorkflow}, see application.yml), the indexes its
 * poll reads, and the poller, started at start-up when the mapping declares a case.
 */
@Configuration(proxyBeanMethods = false)
class BackflowConfiguration {

  private static final Logger log = LoggerFactory.getLogger(BackflowConfiguration.class);

  @Bean
  BackflowActivitiesImpl backflowActivities(DataSource dataSource, Neo4jTarget neo4j, GraphMapping mapping,
      GraphSchemaInitializer constraintsFirst) {
    log.info("Neo4j back-flow indexes ensured: {}", BackflowSchema.initialize(neo4j, mapping));
    return new BackflowActivitiesImpl(dataSource, neo4j, mapping);
  }

  @Bean
  GraphStampActivitiesImpl graphStampActivities(Neo4jTarget neo4j, GraphMapping mapping,
      GraphWriteActivitiesImpl graphWriteActivities) {
    return new GraphStampActivitiesImpl(neo4j, mapping, graphWriteActivities);
  }

  /**
   * The graph writer the PostgreSQL → Neo4j lanes register: a change of a node edited in Neo4j that has not flowed
   * back yet waits for the back-flow's decision. The back-flow's own worker registers the plain writer.
   */
  @Bean
  PendingEditGuard guardedGraphWriteActivities(GraphWriteActivitiesImpl graphWriteActivities, Neo4jTarget neo4j,
      GraphMapping mapping) {
    return new PendingEditGuard(graphWriteActivities, neo4j, mapping);
  }

  /**
   * The batch writer the {@code sync-bulk} lane registers: changes of nodes whose graph edit waits for the back-flow,
   * or that are held for an open manual conflict, go to their own (guarded) syncs instead of the batch write.
   */
  @Bean
  PendingEditBatchGuard guardedBatchSyncActivities(BatchSyncActivitiesImpl batchSyncActivities, Neo4jTarget neo4j,
      GraphMapping mapping) {
    return new PendingEditBatchGuard(batchSyncActivities, neo4j, mapping);
  }

  @Bean
  BackflowStartActivitiesImpl backflowStartActivities(WorkflowClient workflowClient) {
    return new BackflowStartActivitiesImpl(workflowClient, TaskQueues.SYNC_NEO4J);
  }

  @Bean
  ApplicationRunner backflowPoller(WorkflowClient workflowClient, GraphMapping mapping,
      BackflowProperties properties) {
    return args -> {
      if (properties.pollerEnabled() && !mapping.backflow().isEmpty()) {
        BackflowPollerStarter.ensureRunning(workflowClient, properties.pollInterval());
      }
    };
  }
}
