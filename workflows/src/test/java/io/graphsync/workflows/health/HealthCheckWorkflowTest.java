package io.graphsync.workflows.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HealthCheckWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(HealthCheckWorkflowImpl.class)
      .setDoNotStart(true)
      .build();

  private static HealthCheckActivities activities() {
    return mock(HealthCheckActivities.class, withSettings().withoutAnnotations());
  }

  @Test
  void givenReachableStores_whenChecked_itReportsThemWithTheWorkflowIdentity(
      TestWorkflowEnvironment env, Worker worker) {
    HealthCheckActivities activities = activities();
    when(activities.probeStores()).thenReturn(new StoreProbe("15.18", "logical", "5.26.30", "community"));
    worker.registerActivitiesImplementations(activities);
    env.start();

    HealthCheckWorkflow workflow = env.getWorkflowClient().newWorkflowStub(HealthCheckWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("health/test-1").setTaskQueue(worker.getTaskQueue()).build());
    long before = env.currentTimeMillis();
    HealthReport report = workflow.check();

    assertThat(report.workflowId()).isEqualTo("health/test-1");
    assertThat(report.taskQueue()).isEqualTo(worker.getTaskQueue());
    assertThat(report.stores().walLevel()).isEqualTo("logical");
    assertThat(report.checkedAtMillis()).isBetween(before, env.currentTimeMillis());
  }

  @Test
  void givenUnreachableStore_whenChecked_itRetriesThreeTimesThenFails(TestWorkflowEnvironment env, Worker worker) {
    HealthCheckActivities activities = activities();
    when(activities.probeStores()).thenThrow(new IllegalStateException("connection refused"));
    worker.registerActivitiesImplementations(activities);
    env.start();

    HealthCheckWorkflow workflow = env.getWorkflowClient().newWorkflowStub(HealthCheckWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("health/test-2").setTaskQueue(worker.getTaskQueue()).build());

    assertThatThrownBy(workflow::check)
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOf(ActivityFailure.class)
        .rootCause().hasMessageContaining("connection refused");
    verify(activities, times(3)).probeStores();
  }
}
