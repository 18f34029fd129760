package io.graphsync.starters.cdc;

import io.graphsync.activities.mapping.MappingLoader;
import io.graphsync.dev.PostgresServer;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.Payloads;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.DefaultDataConverter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the capture ITs share on top of the test harness: a capture's settings for one slot on a migrated
 * PostgreSQL, the default mapping as the capture reads it (not validated), and assertions on Temporal itself
 * (visibility and workflow inputs).
 */
final class CaptureFixture {

  final PostgresServer postgres;
  final Sql sql;
  final WorkflowClient client;
  final GraphMapping mapping;
  final String slot;

  /** A capture of {@code slot} on the shared PostgreSQL. */
  CaptureFixture(GraphsyncStack stack, String slot) {
    this(stack, stack.postgres(), slot);
  }

  /** A capture of {@code slot} on a PostgreSQL of the test's own (migrated here, once). */
  CaptureFixture(GraphsyncStack stack, PostgresServer postgres, String slot) {
    this.postgres = postgres;
    this.slot = slot;
    GraphsyncStack.migrate(postgres.dataSource());
    this.sql = new Sql(postgres.dataSource());
    this.mapping = loadMapping();
    this.client = stack.client();
  }

  /** Options of activity stubs run in the test's JVM: one attempt, a minute (heartbeats too). */
  static ActivityOptions oneAttempt() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(60))
        .setHeartbeatTimeout(Duration.ofSeconds(60))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build();
  }

  static GraphMapping loadMapping() {
    return MappingLoader.loadResource("mapping/contextnexus.yml");
  }

  CaptureSettings.Builder settings() {
    return CaptureSettings.builder()
        .host("127.0.0.1")
        .port(postgres.settings().port())
        .database(postgres.settings().database())
        .user(postgres.settings().user())
        .password(postgres.settings().password())
        .slotName(slot)
        .publicationName(slot + "_pub")
        .leaseRetryInterval(Duration.ofSeconds(1))
        .restartBackoff(Duration.ofMillis(500))
        .offsetFlushInterval(Duration.ofMillis(500))
        .mapping(mapping);
  }

  Connection connect() throws SQLException {
    return sql.connect();
  }

  /**
   * Starts a capture of this slot with {@code mapping} that adds every change it started a workflow for to
   * {@code captured}; returns once it streams.
   */
  PostgresCapture startRecording(GraphMapping captureMapping, List<ChangeEvent> captured) {
    PostgresCapture capture = new PostgresCapture(settings().mapping(captureMapping).build(), client,
        new CaptureListener() {
          @Override
          public void onWorkflowsStarted(List<ChangeEvent> events, int duplicates, Instant acceptedAt) {
            captured.addAll(events);
          }
        });
    capture.start();
    awaitStreaming(capture);
    return capture;
  }

  /** Waits until the capture leads and its slot streams: from then on every commit is captured. */
  void awaitStreaming(PostgresCapture capture) {
    Await.until(() -> "capture of " + slot + " streaming, state " + capture.state(), Duration.ofSeconds(90),
        () -> capture.state() == CaptureState.RUNNING && slotActive());
  }

  boolean slotActive() {
    try {
      return Boolean.TRUE.equals(sql.value("SELECT active FROM pg_replication_slots WHERE slot_name = ?", slot));
    } catch (SQLException e) {
      return false;
    }
  }

  /** The sync workflows of one entity, by search attribute, oldest change first. */
  List<WorkflowExecutionMetadata> syncWorkflows(String entityId) {
    return client.listExecutions(
            "WorkflowType = 'SyncChangeEventWorkflow' AND EntityId = '" + entityId + "'")
        .sorted(Comparator.comparing(w -> w.getExecution().getWorkflowId()))
        .toList();
  }

  /**
   * Waits until exactly {@code count} sync workflows of the entity are listed, and returns their inputs by position.
   */
  List<ChangeEvent> awaitEvents(String entityId, int count) {
    List<WorkflowExecutionMetadata> listed = Await.until("sync workflows of " + entityId + ": " + count,
        Duration.ofSeconds(30), () -> syncWorkflows(entityId), workflows -> workflows.size() >= count);
    return listed.stream()
        .map(w -> input(w.getExecution().getWorkflowId()))
        .sorted(Comparator.comparingLong(ChangeEvent::position))
        .toList();
  }

  /** The ChangeEvent a workflow was started with: the first history event's input. */
  ChangeEvent input(String workflowId) {
    Payloads input = client.fetchHistory(workflowId).getEvents().get(0)
        .getWorkflowExecutionStartedEventAttributes().getInput();
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0, Optional.of(input), ChangeEvent.class,
        ChangeEvent.class);
  }

  /** Closes the test's capture (if it started one) and drops its slot ({@link #dropSlot()}). */
  void stop(PostgresCapture capture) throws SQLException {
    if (capture != null) {
      capture.close();
    }
    dropSlot();
  }

  /** Drops the slot, its publication and its offsets: slots that nobody reads make PostgreSQL retain WAL. */
  void dropSlot() throws SQLException {
    Await.until("slot " + slot + " released", Duration.ofSeconds(30), () -> !slotActive());
    sql.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?", slot);
    sql.execute("DROP PUBLICATION IF EXISTS " + slot + "_pub");
    try {
      sql.execute("DELETE FROM graphsync.capture_offsets WHERE slot_name = ?", slot);
    } catch (SQLException noTable) {
      // no offsets were written
    }
  }
}
