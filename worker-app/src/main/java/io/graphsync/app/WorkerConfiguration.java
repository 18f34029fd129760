package io.graphsync.app;

import io.graphsync.activities.health.HealthCheckActivitiesImpl;
import io.graphsync.starters.health.HealthCheckStarter;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Activity implementations and starters as beans; the workers that use them are declared in application.yml. */
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
}
