package io.graphsync.workflows.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RetentionWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(RetentionWorkflowImpl.class)
      .setDoNotStart(true)
      .build();

  private static final RetentionPolicy POLICY =
      new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(30), Duration.ofDays(365), 5000);

  @Test
  void givenAFailingDatabase_whenPurging_itRetriesAndReturnsWhatWasDeleted(TestWorkflowEnvironment env,
      Worker worker) {
    RetentionActivities activities = mock(RetentionActivities.class, withSettings().withoutAnnotations());
    when(activities.purgeExpired(any()))
        .thenThrow(new IllegalStateException("retention: connection refused"))
        .thenReturn(new RetentionSummary(1, 12, 3, 0));
    worker.registerActivitiesImplementations(activities);
    env.start();

    RetentionSummary summary = env.getWorkflowClient().newWorkflowStub(RetentionWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("retention/test").setTaskQueue(worker.getTaskQueue()).build())
        .purge(POLICY);

    assertThat(summary).isEqualTo(new RetentionSummary(1, 12, 3, 0));
    verify(activities, times(2)).purgeExpired(POLICY);
  }
}
