package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsync.dev.TemporalDevServer;
import io.graphsync.testing.Await;
import io.graphsync.workflows.TaskQueues;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/** worker-app against the three real servers: PostgreSQL, Neo4j, the Temporal dev server. */
class WorkerAppIT extends StackIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Value("${local.server.port}")
  int port;

  @Autowired
  WorkflowClient workflowClient;

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> response = http.send(TestCredentials.VIEWER.request(url).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  @Test
  void givenThreeRealServers_whenAskedForHealth_itReportsEachUp() throws Exception {
    JsonNode health = get("http://127.0.0.1:" + port + "/actuator/health");

    assertThat(health.path("components").path("db").path("status").asText()).isEqualTo("UP");
    assertThat(health.path("components").path("neo4j").path("status").asText()).isEqualTo("UP");
    assertThat(health.path("components").path("temporal").path("status").asText()).isEqualTo("UP");
    assertThat(health.path("components").path("temporal").path("details").path("serverVersion").asText())
        .isNotBlank();
    assertThat(health.path("status").asText()).isEqualTo("UP");
  }

  @Test
  void givenRunningWorker_whenTheHealthCheckWorkflowRuns_itCompletesThroughTheActivity() throws Exception {
    HttpResponse<String> response = http.send(
        TestCredentials.OPERATOR.request("http://127.0.0.1:" + port + "/api/health-check")
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode report = JSON.readTree(response.body());

    assertThat(report.path("stores").path("walLevel").asText()).isEqualTo("logical");
    assertThat(report.path("stores").path("neo4jVersion").asText()).startsWith("5.");
    assertThat(report.path("taskQueue").asText()).isEqualTo(TaskQueues.SYNC_DEFAULT);

    String workflowId = report.path("workflowId").asText();
    var history = workflowClient.fetchHistory(workflowId);
    assertThat(history.getEvents()).anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
        && e.getActivityTaskCompletedEventAttributes().getResult().getPayloadsCount() == 1);
    assertThat(workflowClient.newUntypedWorkflowStub(workflowId).describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
  }

  @Test
  void givenRunningWorker_whenTheWebUiShowsItsTaskQueue_itListsAPoller(TemporalDevServer temporal) throws Exception {
    String url = temporal.uiUrl() + "/api/v1/namespaces/" + temporal.namespace() + "/task-queues/"
        + TaskQueues.SYNC_DEFAULT + "?taskQueueType=1";
    JsonNode pollers = Await.until("the Web UI lists a poller of " + TaskQueues.SYNC_DEFAULT, Duration.ofSeconds(20),
        () -> get(url).path("pollers"), listed -> !listed.isEmpty());

    assertThat(pollers.isArray()).isTrue();
    assertThat(pollers).isNotEmpty();
    assertThat(pollers.get(0).path("identity").asText()).isNotBlank();
  }
}
