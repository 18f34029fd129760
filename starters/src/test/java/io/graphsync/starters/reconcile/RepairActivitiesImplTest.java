package io.graphsync.starters.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.starters.cdc.ChangeEventWorkflowStarter;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.SyncChangeEventWorkflow;
import io.graphsync.workflows.sync.SyncOutcome;
import io.graphsync.workflows.sync.SyncState;
import io.graphsync.workflows.sync.SyncStatus;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributes;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Repairs start ordinary sync workflows, idempotently, on Temporal's in-memory test server. */
class RepairActivitiesImplTest {

  static final List<ChangeEvent> SYNCED = Collections.synchronizedList(new ArrayList<>());

  /** Stands in for the real sync: records what it was started with. */
  public static class RecordingSync implements SyncChangeEventWorkflow {
    @Override
    public SyncOutcome sync(ChangeEvent event) {
      SYNCED.add(event);
      return new SyncOutcome(SyncStatus.SUCCESS, true, false, null, null);
    }

    @Override
    public void retry() {}

    @Override
    public void skip(String reason) {}

    @Override
    public SyncState state() {
      return null;
    }
  }

  private TestWorkflowEnvironment temporal;
  private ChangeEventWorkflowStarter starter;

  @BeforeEach
  void startTemporal() {
    SYNCED.clear();
    temporal = TestWorkflowEnvironment.newInstance();
    SyncSearchAttributes.ALL.forEach(key ->
        temporal.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    Worker worker = temporal.newWorker("sync-repairs");
    worker.registerWorkflowImplementationTypes(RecordingSync.class);
    temporal.start();
    starter = new ChangeEventWorkflowStarter(temporal.getWorkflowClient(), "sync-repairs", 4);
  }

  @AfterEach
  void stopTemporal() {
    starter.close();
    temporal.close();
  }

  static ChangeEvent repair(String id, EventType type) {
    return ChangeEvent.builder(EventSource.RECONCILIATION, type).entity("users", "User", id).tenantId("t-1")
        .correlationId("reconciliation/1").timestamp(Instant.parse("2026-11-25T10:00:00Z"))
        .version(type == EventType.DELETE ? null : 3L).position(777).dataOmitted(true).build();
  }

  @Test
  void givenRepairs_whenStartedTwice_itStartsOneSyncWorkflowEachWithTheCapturesAttributes() {
    RepairActivitiesImpl repairs = new RepairActivitiesImpl(starter);
    List<ChangeEvent> events = List.of(repair("u-1", EventType.UPDATE), repair("u-2", EventType.DELETE));

    List<String> first = repairs.startRepairs(events);
    List<String> retried = repairs.startRepairs(events);

    assertThat(first).containsExactly("sync/User/u-1/777", "sync/User/u-2/777");
    assertThat(retried).isEqualTo(first);
    WorkflowClient client = temporal.getWorkflowClient();
    for (String id : first) {
      client.newUntypedWorkflowStub(id).getResult(SyncOutcome.class);
    }
    assertThat(SYNCED).containsExactlyInAnyOrderElementsOf(events);
    SearchAttributes attributes = client.newUntypedWorkflowStub("sync/User/u-2/777").describe()
        .getTypedSearchAttributes();
    assertThat(attributes.get(SyncSearchAttributes.EVENT_TYPE)).isEqualTo("DELETE");
    assertThat(attributes.get(SyncSearchAttributes.ENTITY_ID)).isEqualTo("u-2");
    assertThat(attributes.get(SyncSearchAttributes.TENANT_ID)).isEqualTo("t-1");
  }
}
