package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.graphsync.dev.Neo4jServer;
import io.graphsync.dev.PayloadKeyFile;
import io.graphsync.dev.Ports;
import io.graphsync.dev.PostgresServer;
import io.graphsync.dev.ProjectLayout;
import io.graphsync.dev.TemporalCli;
import io.graphsync.dev.TemporalDevServer;
import io.graphsync.starters.codec.AesGcmPayloadCodec;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.sync.SyncOutcome;
import io.graphsync.workflows.sync.SyncStatus;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeScheduleRequest;
import io.temporal.api.workflowservice.v1.DescribeScheduleResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Payload encryption on the real stack: worker-app runs against a Temporal dev server that persists to a SQLite file
 * (and a PostgreSQL of this test's own, so its capture is the only one), syncs a row whose values are distinctive,
 * and the Temporal database holds none of them in clear, while a payload a client without the codec writes is found
 * there (so the scan would see one). Through the API without the codec, every payload of the sync's, the REST
 * health check's and the reconciliation Schedule's is {@code binary/encrypted} under the configured key, and decodes
 * with it.
 */
class PayloadEncryptionIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String KEY_ID = "it-1";

  private static Path workDir;
  private static PostgresServer postgres;
  private static TemporalDevServer temporal;
  private static ConfigurableApplicationContext app;
  private static WorkflowServiceStubs rawStubs;
  private static WorkflowClient plainClient;

  @BeforeAll
  static void start() throws IOException {
    workDir = Files.createDirectories(Path.of("target", "payload-encryption-it-" + ProcessHandle.current().pid()))
        .toAbsolutePath();
    Path keys = workDir.resolve("payload-keys");
    PayloadKeyFile.createIfAbsent(keys, KEY_ID);
    postgres = new PostgresServer(new PostgresServer.Settings(workDir.resolve("postgres"),
        workDir.resolve("postgres.log"), Ports.free(), "graphsync", "graphsync-test", "graphsync"))
        .start(false, Duration.ofSeconds(60));
    temporal = new TemporalDevServer(new TemporalDevServer.Settings(TemporalCli.locate(ProjectLayout.detect()),
        Ports.free(), Ports.free(), Ports.free(), Ports.free(), Optional.of(workDir.resolve("temporal.db")),
        workDir.resolve("temporal.log"), "default"))
        .start(false, Duration.ofSeconds(90));
    Neo4jServer neo4j = GraphsyncStack.shared().neo4j();
    app = SpringApplication.run(GraphsyncApplication.class,
        "--spring.datasource.url=" + postgres.jdbcUrl(),
        "--spring.datasource.username=" + postgres.settings().user(),
        "--spring.datasource.password=" + postgres.settings().password(),
        "--spring.neo4j.uri=" + neo4j.boltUri(),
        "--spring.neo4j.authentication.password=" + neo4j.password(),
        "--spring.temporal.connection.target=" + temporal.address(),
        "--graphsync.security.payload-encryption.key-files=" + keys,
        "--graphsync.reconciliation.tenant-id=" + UUID.randomUUID(),
        "--server.address=127.0.0.1",
        "--graphsync.security.users[0].name=" + TestCredentials.OPERATOR.user(),
        "--graphsync.security.users[0].password={noop}" + TestCredentials.OPERATOR.password(),
        "--graphsync.security.users[0].roles=operator",
        "--server.port=0");
    rawStubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
    plainClient = WorkflowClient.newInstance(rawStubs,
        WorkflowClientOptions.newBuilder().setNamespace(temporal.namespace()).build());
  }

  @AfterAll
  static void stop() throws IOException {
    if (app != null) {
      app.close();
    }
    if (rawStubs != null) {
      rawStubs.shutdownNow();
    }
    if (temporal != null) {
      temporal.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (workDir != null && !Boolean.getBoolean("graphsync.keepTestData")) {
      try (Stream<Path> paths = Files.walk(workDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  void givenARowSyncedEndToEnd_whenTheTemporalDatabaseIsRead_itHoldsNoPlaintextOfItsValues() throws Exception {
    DataSource dataSource = app.getBean(DataSource.class);
    Driver driver = app.getBean(Driver.class);
    WorkflowClient appClient = app.getBean(WorkflowClient.class);
    Sql sql = new Sql(dataSource);
    // the capture creates its slot after the application has started: changes before that are not its business
    Await.until("the capture streams", TIMEOUT, () -> sql.count(
        "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'graphsync' AND active") == 1);
    UUID tenant = UUID.randomUUID();
    UUID concept = UUID.randomUUID();
    String name = "sapphire-otter-" + UUID.randomUUID();
    String description = "cobalt-heron-" + UUID.randomUUID();
    sql.execute( "INSERT INTO tenants (id, name) VALUES (?, ?)", tenant, "tenant " + tenant);
    sql.execute( "INSERT INTO concepts (id, tenant_id, name, description) VALUES (?, ?, ?, ?)",
        concept, tenant, name, description);

    // worker-app still syncs: the node, with the row's values, and the row marked SUCCESS
    Await.until("the concept is in Neo4j with its name", TIMEOUT, () -> !driver.executableQuery(
            "MATCH (c:Concept {id: $id, name: $name, description: $description}) RETURN c")
        .withParameters(Map.of("id", concept.toString(), "name", name, "description", description))
        .execute().records().isEmpty());
    Await.until("the row is SUCCESS", TIMEOUT, () -> sql.count(
        "SELECT count(*) FROM concepts WHERE id = ? AND sync_status = 'SUCCESS'", concept) == 1);
    Await.until("the sync workflow is visible", TIMEOUT, () -> !syncWorkflows(appClient, concept).isEmpty());
    String syncId = syncWorkflows(appClient, concept).get(0);
    SyncOutcome outcome = appClient.newUntypedWorkflowStub(syncId).getResult(SyncOutcome.class);
    assertThat(outcome.status()).isEqualTo(SyncStatus.SUCCESS);

    // a workflow started through REST, and one a client without the codec starts (the scan's positive control)
    String healthCheckId = startHealthCheckThroughRest();
    String clearValue = "clear-control-" + UUID.randomUUID();
    WorkflowStub control = plainClient.newUntypedWorkflowStub("PayloadEncryptionControl",
        WorkflowOptions.newBuilder().setTaskQueue("payload-encryption-it-no-worker")
            .setWorkflowId("payload-encryption-it/" + UUID.randomUUID()).build());
    control.start(clearValue);

    // the SQLite file (and its write-ahead log) as the dev server wrote it
    Await.until("the workflow id of the sync and the control's clear input are in the Temporal database",
        () -> temporalDatabaseContains(syncId) && temporalDatabaseContains(clearValue));
    assertThat(temporalDatabaseContains(concept.toString())).as("the entity id (a search attribute)").isTrue();
    assertThat(temporalDatabaseContains(name)).as("the row's name in the Temporal database").isFalse();
    assertThat(temporalDatabaseContains(description)).as("the row's description").isFalse();
    control.terminate("done");

    // every payload of these histories, read without the codec, is encrypted under our key and decodes with it
    PayloadCodec codec = app.getBean(PayloadCodec.class);
    List<Payload> syncPayloads = payloadsOf(history(syncId));
    assertThat(syncPayloads).hasSizeGreaterThanOrEqualTo(5);
    assertEncrypted(syncPayloads, codec);
    List<String> decoded = codec.decode(syncPayloads).stream().map(p -> p.getData().toStringUtf8()).toList();
    assertThat(decoded).anySatisfy(json -> assertThat(json).contains(name).contains(description));
    // the Java SDK encodes a workflow's summary (user metadata) with the same converter: encrypted as well
    HistoryEvent started = history(syncId).get(0);
    assertThat(started.getUserMetadata().hasSummary()).isTrue();
    Payload summary = started.getUserMetadata().getSummary();
    assertThat(AesGcmPayloadCodec.isEncrypted(summary)).isTrue();
    assertThat(codec.decode(List.of(summary)).get(0).getData().toStringUtf8()).contains("Concept");
    List<Payload> healthPayloads = payloadsOf(history(healthCheckId));
    assertThat(healthPayloads).isNotEmpty();
    assertEncrypted(healthPayloads, codec);

    // the reconciliation Schedule's action carries its workflow input encrypted too
    DescribeScheduleResponse schedule = rawStubs.blockingStub().describeSchedule(DescribeScheduleRequest.newBuilder()
        .setNamespace(temporal.namespace()).setScheduleId("graphsync-reconciliation").build());
    List<Payload> schedulePayloads = new ArrayList<>();
    collectPayloads(schedule.getSchedule().getAction(), schedulePayloads);
    assertThat(schedulePayloads).isNotEmpty();
    assertEncrypted(schedulePayloads, codec);
  }

  private static void assertEncrypted(List<Payload> payloads, PayloadCodec codec) {
    assertThat(payloads).allSatisfy(payload -> {
      assertThat(AesGcmPayloadCodec.isEncrypted(payload)).as("encrypted: %s", payload.getMetadataMap()).isTrue();
      assertThat(payload.getMetadataOrThrow(AesGcmPayloadCodec.KEY_ID_METADATA).toStringUtf8()).isEqualTo(KEY_ID);
    });
    assertThat(codec.decode(payloads)).allSatisfy(payload -> assertThat(
        payload.getMetadataOrThrow(EncodingKeys.METADATA_ENCODING_KEY).toStringUtf8()).isIn("json/plain",
        "binary/null"));
  }

  private static List<String> syncWorkflows(WorkflowClient client, UUID entity) {
    return client.listExecutions("WorkflowType = 'SyncChangeEventWorkflow' AND EntityId = '" + entity + "'")
        .map(execution -> execution.getExecution().getWorkflowId()).toList();
  }

  private static String startHealthCheckThroughRest() throws Exception {
    int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    HttpResponse<String> response = HttpClient.newHttpClient().send(TestCredentials.OPERATOR.sign(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health-check")))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String body = response.body();
    int start = body.indexOf("\"workflowId\":\"") + "\"workflowId\":\"".length();
    return body.substring(start, body.indexOf('"', start));
  }

  private static List<HistoryEvent> history(String workflowId) {
    return plainClient.fetchHistory(workflowId).getEvents();
  }

  /** Every payload in these events, except search attributes (indexed values, which no codec may encrypt). */
  private static List<Payload> payloadsOf(List<HistoryEvent> events) {
    List<Payload> payloads = new ArrayList<>();
    events.forEach(event -> collectPayloads(event, payloads));
    return payloads;
  }

  private static void collectPayloads(Message message, List<Payload> payloads) {
    if (message instanceof Payload payload) {
      payloads.add(payload);
      return;
    }
    if (message instanceof SearchAttributes) {
      return;
    }
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.getKey().isRepeated()) {
        for (Object element : (List<?>) field.getValue()) {
          collectPayloads((Message) element, payloads);
        }
      } else {
        collectPayloads((Message) field.getValue(), payloads);
      }
    }
  }

  /** Whether the dev server's SQLite database or its write-ahead log holds these bytes anywhere. */
  private static boolean temporalDatabaseContains(String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    for (String file : List.of("temporal.db", "temporal.db-wal")) {
      Path path = workDir.resolve(file);
      if (Files.exists(path) && indexOf(Files.readAllBytes(path), needle) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

}
