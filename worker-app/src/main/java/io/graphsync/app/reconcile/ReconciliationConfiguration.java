package io.graphsync.app.reconcile;

import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.reconcile.ReconciliationActivitiesImpl;
import io.graphsync.starters.cdc.ChangeEventWorkflowStarter;
import io.graphsync.starters.reconcile.ReconciliationScheduleInstaller;
import io.graphsync.starters.reconcile.RepairActivitiesImpl;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.reconcile.ReconciliationPolicy;
import io.graphsync.workflows.reconcile.ReconciliationWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import javax.sql.DataSource;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reconciliation: its activities (on the {@code sync-bulk} worker, see application.yml), the policy every
 * {@code ReconciliationWorkflowImpl} gets through its constructor, and the Schedule, installed at start.
 */
@Configuration(proxyBeanMethods = false)
class ReconciliationConfiguration {

  @Bean
  ReconciliationPolicy reconciliationPolicy(ReconciliationProperties properties) {
    return properties.policy();
  }

  @Bean
  ReconciliationActivitiesImpl reconciliationActivities(DataSource dataSource, Neo4jTarget neo4j, GraphMapping mapping,
      ReconciliationProperties properties) {
    return new ReconciliationActivitiesImpl(dataSource, neo4j, mapping, properties.repairCooldown());
  }

  /** Repairs are ordinary sync workflows, started on the bulk lane so they never delay live changes. */
  @Bean
  ChangeEventWorkflowStarter repairWorkflowStarter(WorkflowClient workflowClient) {
    return new ChangeEventWorkflowStarter(workflowClient, ReconciliationWorkflow.TASK_QUEUE, 16);
  }

  @Bean
  RepairActivitiesImpl repairActivities(ChangeEventWorkflowStarter repairWorkflowStarter) {
    return new RepairActivitiesImpl(repairWorkflowStarter);
  }

  @Bean
  ScheduleClient scheduleClient(WorkflowClient workflowClient) {
    return ScheduleClient.newInstance(workflowClient.getWorkflowServiceStubs(), ScheduleClientOptions.newBuilder()
        .setNamespace(workflowClient.getOptions().getNamespace())
        .setIdentity(workflowClient.getOptions().getIdentity())
        // the Schedule's action carries the workflow input: encrypted like every other payload
        .setDataConverter(workflowClient.getOptions().getDataConverter())
        .build());
  }

  /** Creates or updates the Schedule once the application is up; fails the start when Temporal refuses it. */
  @Bean
  ApplicationRunner reconciliationSchedule(ScheduleClient scheduleClient, ReconciliationProperties properties) {
    return args -> {
      if (properties.scheduleEnabled()) {
        new ReconciliationScheduleInstaller(scheduleClient).install(new ReconciliationScheduleInstaller.Settings(
            properties.scheduleId(), properties.interval(), properties.paused(), ReconciliationWorkflow.TYPE,
            ReconciliationWorkflow.TASK_QUEUE, "reconcile/scheduled", properties.scheduledRequest(), null));
      }
    };
  }
}
