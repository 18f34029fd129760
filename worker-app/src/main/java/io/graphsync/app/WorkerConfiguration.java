package io.graphsync.app;

import io.graphsync.activities.health.HealthCheckActivitiesImpl;
import io.graphsync.activities.neo4j.GraphReadActivitiesImpl;
import io.graphsync.activities.neo4j.GraphSchemaInitializer;
import io.graphsync.activities.resolve.ResolutionActivitiesImpl;
import io.graphsync.starters.health.HealthCheckStarter;
import io.graphsync.starters.resolve.ConflictClient;
import io.graphsync.starters.resolve.EscalationActivitiesImpl;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.resolve.ResolutionPolicy;
import io.graphsync.workflows.sync.SyncPolicy;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Activity implementations and starters as beans; the workers that use them are declared in application.yml.
 *
 * <p>The {@link SyncPolicy} bean reaches each {@code SyncChangeEventWorkflowImpl} through its constructor:
 * temporal-spring-boot-starter creates workflow instances with the application context's {@code createBean}, which
 * autowires it (an immutable value, not a service: workflow code stays free of I/O). The {@link ResolutionPolicy}
 * travels in each {@code ManualResolutionWorkflow}'s input, given by the escalation; that workflow is made by its
 * {@code @WorkflowInit} constructor from the input.
 */
@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

  @Bean
  HealthCheckActivitiesImpl healthCheckActivities(DataSource dataSource, Driver driver) {
    return new HealthCheckActivitiesImpl(dataSource, driver);
  }

  @Bean
  HealthCheckStarter healthCheckStarter(WorkflowClient workflowClient) {
    return new HealthCheckStarter(workflowClient, Clock.systemUTC());
  }

  @Bean
  SyncPolicy syncPolicy(SyncWorkflowProperties properties) {
    return properties.policy();
  }

  @Bean
  GraphReadActivitiesImpl graphReadActivities(Driver driver, GraphMapping mapping) {
    return new GraphReadActivitiesImpl(driver, mapping, null);
  }

  @Bean
  ResolutionPolicy resolutionPolicy(ResolveProperties properties) {
    return properties.policy();
  }

  @Bean
  ResolutionActivitiesImpl resolutionActivities(DataSource dataSource, Driver driver, GraphMapping mapping,
      GraphSchemaInitializer constraintsFirst) {
    return new ResolutionActivitiesImpl(dataSource, driver, mapping, null);
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
