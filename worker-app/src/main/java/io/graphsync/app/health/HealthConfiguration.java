package io.graphsync.app.health;

import io.graphsync.activities.health.HealthCheckActivitiesImpl;
import io.graphsync.starters.health.HealthCheckStarter;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The health-check workflow's activities (on the {@code sync-default} worker, see application.yml) and the starter
 * behind {@code POST /api/health-check}.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

  @Bean
  HealthCheckActivitiesImpl healthCheckActivities(DataSource dataSource, Driver driver) {
    return new HealthCheckActivitiesImpl(dataSource, driver);
  }

  @Bean
  HealthCheckStarter healthCheckStarter(WorkflowClient workflowClient) {
    return new HealthCheckStarter(workflowClient, Clock.systemUTC());
  }
}
