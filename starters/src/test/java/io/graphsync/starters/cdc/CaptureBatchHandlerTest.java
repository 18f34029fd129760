package io.graphsync.starters.cdc;

import static io.graphsync.starters.cdc.ChangeRecords.contentItem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.SyncChangeEventWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.errordetails.v1.NamespaceNotActiveFailure;
import io.temporal.api.errordetails.v1.ResourceExhaustedFailure;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowServiceException;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.StatusUtils;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The change consumer against Temporal's in-memory test server (no worker: starts only). */
class CaptureBatchHandlerTest {

  private TestWorkflowEnvironment temporal;
  private ChangeEventWorkflowStarter starter;
  private final CaptureMetrics metrics = new CaptureMetrics();
  private final RecordingRejects rejected = new RecordingRejects();
  private final RecordingCommitter committer = new RecordingCommitter();

  @BeforeEach
  void startTemporal() {
    temporal = TestWorkflowEnvironment.newInstance();
    SyncSearchAttributes.ALL.forEach(key ->
        temporal.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    starter = new ChangeEventWorkflowStarter(temporal.getWorkflowClient(), "sync-test", 4);
  }

  @AfterEach
  void stopTemporal() {
    starter.close();
    temporal.close();
  }

  private CaptureBatchHandler handler(ChangeEventWorkflowStarter withStarter) {
    return new CaptureBatchHandler(new ChangeEventMapper(ChangeRecords.MAPPING, "public"), withStarter, metrics,
        rejected, Clock.systemUTC());
  }

  @Test
  void givenBatch_whenHandled_itStartsOneWorkflowPerChangeAndThenAcknowledgesEveryRecord() throws Exception {
    List<RecordChangeEvent<SourceRecord>> batch = List.of(
        event(ChangeRecords.create(contentItem(1, "PENDING", "a"), 100L)),
        event(ChangeRecords.update(contentItem(1, "PENDING", "a"), contentItem(1, "SUCCESS", "a"), 200L)),
        event(ChangeRecords.update(contentItem(1, "SUCCESS", "a"), contentItem(2, "PENDING", "b"), 300L)));

    handler(starter).handleBatch(batch, committer);

    assertThat(committer.processed).containsExactlyElementsOf(batch);
    assertThat(committer.batchFinished).isTrue();
    assertThat(metrics.workflowsStarted()).isEqualTo(2);
    assertThat(metrics.recordsSkipped()).isEqualTo(1);
    WorkflowClient client = temporal.getWorkflowClient();
    assertThat(client.fetchHistory("sync/ContentItem/" + ChangeRecords.ITEM_ID + "/100").getEvents()).isNotEmpty();
    assertThat(client.fetchHistory("sync/ContentItem/" + ChangeRecords.ITEM_ID + "/300").getEvents()).isNotEmpty();
  }

  @Test
  void givenChangeOverThePayloadLimit_whenHandled_itStartsWithoutItsDataAndIsCounted() throws Exception {
    CaptureBatchHandler limited = new CaptureBatchHandler(
        new ChangeEventMapper(ChangeRecords.MAPPING, "public", 1024), starter, metrics, rejected, Clock.systemUTC());
    List<RecordChangeEvent<SourceRecord>> batch = List.of(
        event(ChangeRecords.create(contentItem(1, "PENDING", "big").put("body", "b".repeat(4096)), 100L)),
        event(ChangeRecords.update(contentItem(1, "PENDING", "big"), contentItem(2, "PENDING", "small"), 200L)));

    limited.handleBatch(batch, committer);

    assertThat(metrics.workflowsStarted()).isEqualTo(2);
    assertThat(metrics.omittedPayloads()).isEqualTo(1);
    Payloads payloads = temporal.getWorkflowClient()
        .fetchHistory("sync/ContentItem/" + ChangeRecords.ITEM_ID + "/100").getEvents().get(0)
        .getWorkflowExecutionStartedEventAttributes().getInput();
    ChangeEvent input = DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0, Optional.of(payloads),
        ChangeEvent.class, ChangeEvent.class);
    assertThat(input.dataOmitted()).isTrue();
    assertThat(input.data()).containsOnlyKeys("id", "tenant_id", "message_id", "pg_version");
  }

  @Test
  void givenReplayedBatch_whenHandled_theDuplicateStartsAreAcknowledged() throws Exception {
    List<RecordChangeEvent<SourceRecord>> batch =
        List.of(event(ChangeRecords.create(contentItem(1, "PENDING", "a"), 100L)));
    handler(starter).handleBatch(batch, new RecordingCommitter());

    handler(starter).handleBatch(batch, committer);

    assertThat(committer.processed).containsExactlyElementsOf(batch);
    assertThat(metrics.workflowsStarted()).isEqualTo(1);
    assertThat(metrics.duplicateStarts()).isEqualTo(1);
  }

  @Test
  void givenStartsThatFail_whenHandled_nothingIsAcknowledged() {
    ChangeEventWorkflowStarter failing = new ChangeEventWorkflowStarter(temporal.getWorkflowClient(), "sync-test", 2) {
      @Override
      public List<StartOutcome> startAll(List<ChangeEvent> events) {
        throw new WorkflowStartException("Temporal is down", new IllegalStateException("unavailable"));
      }
    };
    List<RecordChangeEvent<SourceRecord>> batch =
        List.of(event(ChangeRecords.create(contentItem(1, "PENDING", "a"), 100L)));

    assertThatThrownBy(() -> handler(failing).handleBatch(batch, committer))
        .isInstanceOf(WorkflowStartException.class);
    assertThat(committer.processed).isEmpty();
    assertThat(committer.batchFinished).isFalse();
    assertThat(metrics.failedBatches()).isEqualTo(1);
    failing.close();
  }

  @Test
  void givenMalformedRecord_whenHandled_itIsCountedAndTheRestOfTheBatchGoesOn() throws Exception {
    SourceRecord malformed = ChangeRecords.withoutKey(50L);
    List<RecordChangeEvent<SourceRecord>> batch = List.of(
        event(malformed),
        event(ChangeRecords.create(contentItem(1, "PENDING", "a"), 100L)));

    handler(starter).handleBatch(batch, committer);

    assertThat(metrics.malformedRecords()).isEqualTo(1);
    assertThat(rejected.records).containsExactly(malformed);
    assertThat(metrics.workflowsStarted()).isEqualTo(1);
    assertThat(committer.processed).containsExactlyElementsOf(batch);
  }

  @Test
  void givenMalformedRecordThatCannotBeKept_whenHandled_nothingOfTheBatchIsAcknowledged() {
    SourceRecord malformed = ChangeRecords.withoutKey(50L);
    List<RecordChangeEvent<SourceRecord>> batch = List.of(
        event(ChangeRecords.create(contentItem(1, "PENDING", "a"), 100L)),
        event(malformed));
    CaptureBatchHandler handler = new CaptureBatchHandler(new ChangeEventMapper(ChangeRecords.MAPPING, "public"),
        starter, metrics, (record, error) -> {
          throw new IllegalStateException("PostgreSQL is down");
        }, Clock.systemUTC());

    assertThatThrownBy(() -> handler.handleBatch(batch, committer)).hasMessageContaining("PostgreSQL is down");

    assertThat(committer.processed).isEmpty();
    assertThat(committer.batchFinished).isFalse();
  }

  @Test
  void givenStartRejectedForATooLongWorkflowId_whenHandled_itIsKeptAndTheBatchIsAcknowledged() throws Exception {
    assertRejected(Status.INVALID_ARGUMENT.withDescription("WorkflowId length exceeds limit.").asRuntimeException(),
        "INVALID_ARGUMENT", "WorkflowId length exceeds limit");
  }

  @Test
  void givenStartRejectedForAPayloadOverTheServerLimit_whenHandled_itIsKeptAndTheBatchIsAcknowledged()
      throws Exception {
    assertRejected(Status.INVALID_ARGUMENT.withDescription("Blob data size exceeds limit.").asRuntimeException(),
        "INVALID_ARGUMENT", "Blob data size exceeds limit");
  }

  @Test
  void givenStartRejectedForAFailedPrecondition_whenHandled_itIsKeptAndTheBatchIsAcknowledged() throws Exception {
    assertRejected(Status.FAILED_PRECONDITION.withDescription("cannot start this workflow").asRuntimeException(),
        "FAILED_PRECONDITION", "cannot start this workflow");
  }

  @Test
  void givenRequestLargerThanTheGrpcLimit_whenHandled_itIsKeptAndTheBatchIsAcknowledged() throws Exception {
    assertRejected(Status.RESOURCE_EXHAUSTED
            .withDescription("grpc: received message larger than max (5242880 vs. 4194304)").asRuntimeException(),
        "RESOURCE_EXHAUSTED", "message larger than max");
  }

  @Test
  void givenInputThatCannotBeSerialised_whenHandled_itIsKeptAndTheBatchIsAcknowledged() throws Exception {
    assertRejected(new DataConverterException("cannot serialise the input", new IllegalStateException("cycle")),
        "DATA_CONVERTER", "cannot serialise the input");
  }

  @Test
  void givenTemporalUnavailable_whenHandled_nothingIsAcknowledgedOrRejected() {
    assertBlocked(Status.UNAVAILABLE.withDescription("io exception").asRuntimeException());
  }

  @Test
  void givenStartDeadlineExceeded_whenHandled_nothingIsAcknowledgedOrRejected() {
    assertBlocked(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 10s").asRuntimeException());
  }

  @Test
  void givenStartRateLimited_whenHandled_nothingIsAcknowledgedOrRejected() {
    assertBlocked(StatusUtils.newException(Status.RESOURCE_EXHAUSTED.withDescription("namespace rate limit exceeded"),
        ResourceExhaustedFailure.newBuilder().build(), ResourceExhaustedFailure.getDescriptor()));
  }

  @Test
  void givenNamespaceNotActive_whenHandled_nothingIsAcknowledgedOrRejected() {
    assertBlocked(StatusUtils.newException(
        Status.FAILED_PRECONDITION.withDescription("Namespace: default is active in cluster: b, while current "
            + "cluster a is a standby cluster."),
        NamespaceNotActiveFailure.newBuilder().setNamespace("default").build(),
        NamespaceNotActiveFailure.getDescriptor()));
  }

  @Test
  void givenUnregisteredSearchAttribute_whenHandled_nothingIsAcknowledgedOrRejected() {
    assertBlocked(Status.INVALID_ARGUMENT
        .withDescription("Namespace default has no mapping defined for search attribute EntityType")
        .asRuntimeException());
  }

  @Test
  void givenNamespaceNotFound_whenHandled_nothingIsAcknowledgedOrRejected() {
    assertBlocked(Status.NOT_FOUND.withDescription("Namespace graphsync is not found.").asRuntimeException());
  }

  @Test
  void givenRejectedStartThatCannotBeKept_whenHandled_nothingOfTheBatchIsAcknowledged() {
    ChangeEventWorkflowStarter rejecting = failingAt(200L,
        Status.INVALID_ARGUMENT.withDescription("WorkflowId length exceeds limit.").asRuntimeException());
    CaptureBatchHandler handler = new CaptureBatchHandler(new ChangeEventMapper(ChangeRecords.MAPPING, "public"),
        rejecting, metrics, (record, error) -> {
          throw new IllegalStateException("PostgreSQL is down");
        }, Clock.systemUTC());
    List<RecordChangeEvent<SourceRecord>> batch = batchOfThree();

    assertThatThrownBy(() -> handler.handleBatch(batch, committer)).hasMessageContaining("PostgreSQL is down");

    assertThat(committer.processed).isEmpty();
    assertThat(committer.batchFinished).isFalse();
    assertThat(metrics.rejectedStarts()).isZero();
    assertThat(metrics.failedBatches()).isEqualTo(1);
    rejecting.close();
  }

  /** The change at position 200 of a batch of three is rejected with {@code error}; the other two start. */
  private void assertRejected(RuntimeException error, String code, String reason) throws Exception {
    ChangeEventWorkflowStarter rejecting = failingAt(200L, error);
    List<RecordChangeEvent<SourceRecord>> batch = batchOfThree();

    handler(rejecting).handleBatch(batch, committer);

    assertThat(committer.processed).containsExactlyElementsOf(batch);
    assertThat(committer.batchFinished).isTrue();
    assertThat(rejected.records).containsExactly(batch.get(1).record());
    assertThat(rejected.errors).singleElement().asString()
        .startsWith("Temporal rejected the start of workflow sync/ContentItem/" + ChangeRecords.ITEM_ID + "/200 ("
            + code + ")")
        .contains(reason);
    assertThat(metrics.rejectedStarts()).isEqualTo(1);
    assertThat(metrics.workflowsStarted()).isEqualTo(2);
    assertThat(metrics.failedBatches()).isZero();
    WorkflowClient client = temporal.getWorkflowClient();
    assertThat(client.fetchHistory("sync/ContentItem/" + ChangeRecords.ITEM_ID + "/100").getEvents()).isNotEmpty();
    assertThat(client.fetchHistory("sync/ContentItem/" + ChangeRecords.ITEM_ID + "/300").getEvents()).isNotEmpty();
    rejecting.close();
  }

  /** The change at position 200 fails with {@code error}: the batch throws, nothing is acknowledged or rejected. */
  private void assertBlocked(RuntimeException error) {
    ChangeEventWorkflowStarter failing = failingAt(200L, error);
    List<RecordChangeEvent<SourceRecord>> batch = batchOfThree();

    assertThatThrownBy(() -> handler(failing).handleBatch(batch, committer))
        .isInstanceOf(WorkflowStartException.class)
        .hasRootCauseMessage(error.getMessage());
    assertThat(committer.processed).isEmpty();
    assertThat(committer.batchFinished).isFalse();
    assertThat(rejected.records).isEmpty();
    assertThat(metrics.rejectedStarts()).isZero();
    assertThat(metrics.failedBatches()).isEqualTo(1);
    failing.close();
  }

  private static List<RecordChangeEvent<SourceRecord>> batchOfThree() {
    return List.of(
        event(ChangeRecords.create(contentItem(1, "PENDING", "a"), 100L)),
        event(ChangeRecords.update(contentItem(1, "PENDING", "a"), contentItem(2, "PENDING", "b"), 200L)),
        event(ChangeRecords.update(contentItem(2, "PENDING", "b"), contentItem(3, "PENDING", "c"), 300L)));
  }

  /**
   * A starter whose start of the change at {@code position} fails as the Temporal client reports it: a
   * {@link WorkflowServiceException} around the gRPC status, or the client-side error itself.
   */
  private ChangeEventWorkflowStarter failingAt(long position, RuntimeException error) {
    return new ChangeEventWorkflowStarter(temporal.getWorkflowClient(), "sync-test", 4) {
      @Override
      public StartOutcome start(ChangeEvent event) {
        if (event.position() != position) {
          return super.start(event);
        }
        if (error instanceof StatusRuntimeException status) {
          throw new WorkflowServiceException(WorkflowExecution.newBuilder().setWorkflowId(event.workflowId()).build(),
              SyncChangeEventWorkflow.TYPE, status);
        }
        throw error;
      }
    };
  }

  /** Keeps rejected records in memory. */
  static final class RecordingRejects implements RejectedChanges {
    final List<SourceRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void record(SourceRecord record, String error) {
      records.add(record);
      errors.add(error);
    }
  }

  @Test
  void givenEvent_whenStarted_itCarriesTheSearchAttributesAndASummary() {
    ChangeEvent event = new ChangeEventMapper(ChangeRecords.MAPPING, "public")
        .map(ChangeRecords.update(contentItem(6, "SUCCESS", "a"), contentItem(7, "PENDING", "b"), 400L))
        .orElseThrow();

    var options = starter.options(event);

    assertThat(options.getWorkflowId()).isEqualTo(event.workflowId());
    assertThat(options.getTaskQueue()).isEqualTo("sync-test");
    assertThat(options.getTypedSearchAttributes().get(SyncSearchAttributes.ENTITY_TYPE)).isEqualTo("ContentItem");
    assertThat(options.getTypedSearchAttributes().get(SyncSearchAttributes.ENTITY_ID)).isEqualTo(ChangeRecords.ITEM_ID);
    assertThat(options.getTypedSearchAttributes().get(SyncSearchAttributes.TENANT_ID))
        .isEqualTo(ChangeRecords.TENANT_ID);
    assertThat(options.getTypedSearchAttributes().get(SyncSearchAttributes.EVENT_TYPE)).isEqualTo("UPDATE");
    assertThat(options.getTypedSearchAttributes().get(SyncSearchAttributes.SYNC_STATUS)).isEqualTo("RUNNING");
    assertThat(options.getStaticSummary()).isEqualTo("UPDATE ContentItem 3f2a9c1e… (tenant 7d01aa2b…) v7");
  }

  private static RecordChangeEvent<SourceRecord> event(SourceRecord record) {
    return () -> record;
  }

  /** Records what the handler acknowledged. */
  private static final class RecordingCommitter
      implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {
    final List<RecordChangeEvent<SourceRecord>> processed = new ArrayList<>();
    boolean batchFinished;

    @Override
    public void markProcessed(RecordChangeEvent<SourceRecord> record) {
      processed.add(record);
    }

    @Override
    public void markBatchFinished() {
      batchFinished = true;
    }

    @Override
    public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets offsets) {
      processed.add(record);
    }

    @Override
    public DebeziumEngine.Offsets buildOffsets() {
      throw new UnsupportedOperationException();
    }
  }
}
