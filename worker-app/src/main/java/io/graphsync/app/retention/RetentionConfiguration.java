package io.graphsync.app.retention;

import io.graphsync.activities.retention.RetentionActivitiesImpl;
import io.graphsync.starters.reconcile.ReconciliationScheduleInstaller;
import io.graphsync.workflows.retention.RetentionWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import javax.sql.DataSource;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Retention: its activity (on the {@code sync-bulk} worker, see application.yml) and its Schedule. */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {

  @Bean
  RetentionActivitiesImpl retentionActivities(DataSource dataSource) {
    return new RetentionActivitiesImpl(dataSource);
  }

  /** Creates or updates the Schedule once the application is up, like reconciliation's. */
  @Bean
  ApplicationRunner retentionSchedule(ScheduleClient scheduleClient, RetentionProperties properties) {
    return args -> {
      if (properties.scheduleEnabled()) {
        new ReconciliationScheduleInstaller(scheduleClient).install(new ReconciliationScheduleInstaller.Settings(
            properties.scheduleId(), properties.interval(), false, RetentionWorkflow.TYPE,
            RetentionWorkflow.TASK_QUEUE, "retention/scheduled", properties.policy(), null));
      }
    };
  }
}
