package io.graphsync.starters.cdc;

import static io.graphsync.starters.cdc.ChangeRecords.contentItem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.sync.ChangeEvent;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;
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

  /** Keeps rejected records in memory. */
  static final class RecordingRejects implements RejectedChanges {
    final List<SourceRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void record(SourceRecord record, MalformedChangeException error) {
      records.add(record);
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
