package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.starters.cdc.ChangeEventWorkflowStarter.StartOutcome;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the real Temporal dev server rejects for good, and what it does not: the classification of
 * {@link StartFailures} checked against the server's actual answers, not only against hand-made statuses.
 */
@ExtendWith(GraphsyncExtension.class)
class ChangeEventWorkflowStarterIT {

  private static final AtomicLong POSITIONS = new AtomicLong(System.currentTimeMillis());

  private static ChangeEventWorkflowStarter starter;

  @BeforeAll
  static void connect(WorkflowClient client) {
    starter = new ChangeEventWorkflowStarter(client, "sync-starter-it", 4);
  }

  @AfterAll
  static void disconnect() {
    starter.close();
  }

  @Test
  void givenWorkflowIdOverTheServerLimit_whenStarted_itIsRejectedAndTheOthersStart() throws Exception {
    ChangeEvent tooLong = event("x".repeat(1200), Map.of("id", "x"));
    ChangeEvent fine = event(UUID.randomUUID().toString(), Map.of("id", "ok"));

    List<StartOutcome> outcomes = starter.startAll(List.of(tooLong, fine));

    assertThat(outcomes.get(0)).isInstanceOfSatisfying(StartOutcome.Rejected.class, rejected -> {
      assertThat(rejected.code()).isEqualTo("INVALID_ARGUMENT");
      assertThat(rejected.reason()).containsIgnoringCase("length");
    });
    assertThat(outcomes.get(1)).isEqualTo(StartOutcome.STARTED);
  }

  @Test
  void givenPayloadOverTheServerBlobLimit_whenStarted_itIsRejected() throws Exception {
    ChangeEvent huge = event(UUID.randomUUID().toString(), Map.of("id", "big", "body", "b".repeat(2_500_000)));

    List<StartOutcome> outcomes = starter.startAll(List.of(huge));

    assertThat(outcomes).singleElement().isInstanceOfSatisfying(StartOutcome.Rejected.class,
        rejected -> assertThat(rejected.code()).isEqualTo("INVALID_ARGUMENT"));
  }

  @Test
  void givenTemporalUnreachable_whenStarted_itThrowsInsteadOfRejecting() {
    WorkflowServiceStubs nowhere = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget("127.0.0.1:1")
        .setRpcRetryOptions(RpcRetryOptions.newBuilder().setExpiration(Duration.ofSeconds(2)).build())
        .build());
    ChangeEventWorkflowStarter unreachable = new ChangeEventWorkflowStarter(
        WorkflowClient.newInstance(nowhere, WorkflowClientOptions.newBuilder().build()), "sync-starter-it", 1);
    try {
      assertThatThrownBy(() -> unreachable.startAll(List.of(event(UUID.randomUUID().toString(), Map.of()))))
          .isInstanceOf(WorkflowStartException.class);
    } finally {
      unreachable.close();
      nowhere.shutdownNow();
    }
  }

  private static ChangeEvent event(String entityId, Map<String, Object> data) {
    long position = POSITIONS.incrementAndGet();
    return ChangeEvent.builder(EventSource.POSTGRES, EventType.CREATE).entity("content_items", "ContentItem", entityId)
        .timestamp(Instant.now()).data(data).version(1L).position(position).build();
  }
}
