package io.graphsync.app.resolve;

import io.graphsync.activities.neo4j.GraphSchemaInitializer;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.resolve.ResolutionActivitiesImpl;
import io.graphsync.starters.resolve.ConflictClient;
import io.graphsync.starters.resolve.EscalationActivitiesImpl;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.resolve.ResolutionPolicy;
import io.temporal.client.WorkflowClient;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Manual conflict resolution: the activities (on the {@code sync-default} worker, see application.yml), the
 * {@link ResolutionPolicy} that the escalation puts into every new conflict's workflow input (the workflow is made by
 * its {@code @WorkflowInit} constructor from that input), the escalation activities every lane registers, and the
 * client behind {@code /api/conflicts}.
 */
@Configuration(proxyBeanMethods = false)
class ResolveConfiguration {

  @Bean
  ResolutionPolicy resolutionPolicy(ResolveProperties properties) {
    return properties.policy();
  }

  @Bean
  ResolutionActivitiesImpl resolutionActivities(DataSource dataSource, Neo4jTarget neo4j, GraphMapping mapping,
      GraphSchemaInitializer constraintsFirst) {
    return new ResolutionActivitiesImpl(dataSource, neo4j, mapping);
  }

  @Bean
  EscalationActivitiesImpl escalationActivities(WorkflowClient workflowClient, ResolveProperties properties,
      ResolutionPolicy resolutionPolicy) {
    return new EscalationActivitiesImpl(workflowClient, properties.taskQueue(), resolutionPolicy);
  }

  @Bean
  ConflictClient conflictClient(WorkflowClient workflowClient, ResolveProperties properties) {
    return new ConflictClient(workflowClient, properties.maxListed());
  }
}
