package io.graphsync.starters.cdc;

import io.graphsync.activities.mapping.MappingLoader;
import io.graphsync.activities.schema.SchemaMigrations;

import io.graphsync.dev.PostgresServer;
import io.graphsync.dev.TemporalDevServer;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.temporal.api.common.v1.Payloads;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * What the capture ITs share: the migrated database, the default mapping (read with Jackson YAML from activities'
 * resource), a Temporal client, and assertions on Temporal itself (visibility and workflow inputs).
 */
final class CaptureFixture implements AutoCloseable {

  /** The servers (by JDBC URL) already migrated in this JVM: the shared one, and any a test starts of its own. */
  private static final java.util.Set<String> MIGRATED = new java.util.HashSet<>();

  final PostgresServer postgres;
  final WorkflowServiceStubs stubs;
  final WorkflowClient client;
  final GraphMapping mapping;
  final String slot;

  CaptureFixture(PostgresServer postgres, TemporalDevServer temporal, String slot) {
    this.postgres = postgres;
    this.slot = slot;
    migrate(postgres);
    this.mapping = loadMapping();
    this.stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
    this.client = WorkflowClient.newInstance(stubs,
        WorkflowClientOptions.newBuilder().setNamespace(temporal.namespace()).build());
  }

  private static synchronized void migrate(PostgresServer postgres) {
    if (!MIGRATED.contains(postgres.jdbcUrl())) {
      DataSource dataSource = postgres.dataSource();
      // the product's migrations, exactly as worker-app runs them
      SchemaMigrations.migrate(dataSource, true);
      MIGRATED.add(postgres.jdbcUrl());
    }
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
    return DriverManager.getConnection(postgres.jdbcUrl(), postgres.settings().user(),
        postgres.settings().password());
  }

  /** Waits until the capture leads and its slot streams: from then on every commit is captured. */
  void awaitStreaming(PostgresCapture capture) {
    await(Duration.ofSeconds(90), () -> capture.state() == CaptureState.RUNNING && slotActive(),
        () -> "capture of " + slot + " streaming, state " + capture.state());
  }

  boolean slotActive() {
    try (Connection c = connect();
         PreparedStatement q = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
      q.setString(1, slot);
      try (ResultSet r = q.executeQuery()) {
        return r.next() && r.getBoolean(1);
      }
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
    Supplier<List<WorkflowExecutionMetadata>> list = () -> syncWorkflows(entityId);
    await(Duration.ofSeconds(30), () -> list.get().size() >= count,
        () -> "sync workflows of " + entityId + ": " + list.get().size() + " of " + count);
    return list.get().stream()
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

  static void await(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what.get());
      }
    }
  }

  /** Drops the slot, its publication and its offsets: slots that nobody reads make PostgreSQL retain WAL. */
  void dropSlot() throws SQLException {
    try (Connection c = connect()) {
      await(Duration.ofSeconds(30), () -> !slotActive(), () -> "slot " + slot + " released");
      try (PreparedStatement drop = c.prepareStatement(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
        drop.setString(1, slot);
        drop.execute();
      }
      c.createStatement().execute("DROP PUBLICATION IF EXISTS " + slot + "_pub");
      try (PreparedStatement delete = c.prepareStatement(
          "DELETE FROM graphsync.capture_offsets WHERE slot_name = ?")) {
        delete.setString(1, slot);
        delete.execute();
      } catch (SQLException noTable) {
        // no offsets were written
      }
    }
  }

  @Override
  public void close() {
    stubs.shutdownNow();
  }
}
