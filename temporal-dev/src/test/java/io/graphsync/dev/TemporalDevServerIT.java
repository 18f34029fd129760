package io.graphsync.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TemporalExtension.class)
class TemporalDevServerIT {

  @WorkflowInterface
  public interface EchoWorkflow {
    @WorkflowMethod
    String echo(String text);
  }

  public static class EchoWorkflowImpl implements EchoWorkflow {
    @Override
    public String echo(String text) {
      return "echo: " + text;
    }
  }

  @Test
  void givenDevServer_whenAWorkflowRuns_itCompletesAndIsListedByCustomSearchAttribute(TemporalDevServer temporal) {
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
    try {
      WorkflowClient client = WorkflowClient.newInstance(stubs,
          WorkflowClientOptions.newBuilder().setNamespace(temporal.namespace()).build());
      WorkerFactory factory = WorkerFactory.newInstance(client);
      String taskQueue = "dev-server-it-" + UUID.randomUUID();
      Worker worker = factory.newWorker(taskQueue);
      worker.registerWorkflowImplementationTypes(EchoWorkflowImpl.class);
      factory.start();
      try {
        String tenant = "tenant-" + UUID.randomUUID();
        SearchAttributeKey<String> tenantKey = SearchAttributeKey.forKeyword("TenantId");
        EchoWorkflow workflow = client.newWorkflowStub(EchoWorkflow.class, WorkflowOptions.newBuilder()
            .setTaskQueue(taskQueue)
            .setWorkflowId("echo/" + tenant)
            .setTypedSearchAttributes(SearchAttributes.newBuilder().set(tenantKey, tenant).build())
            .build());

        assertThat(workflow.echo("hello")).isEqualTo("echo: hello");

        // visibility is eventually consistent: poll until the completed run is listed under the custom attribute
        List<WorkflowExecutionMetadata> listed = List.of();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
          listed = client.listExecutions("TenantId = '" + tenant + "' AND ExecutionStatus = 'Completed'").toList();
          if (!listed.isEmpty()) {
            break;
          }
          Ports.sleep(200);
        }
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).getExecution().getWorkflowId()).isEqualTo("echo/" + tenant);
        assertThat(listed.get(0).getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
        assertThat(listed.get(0).getTypedSearchAttributes().get(tenantKey)).isEqualTo(tenant);
      } finally {
        factory.shutdownNow();
      }
    } finally {
      stubs.shutdownNow();
    }
  }

  @Test
  void givenDevServer_whenItStarts_itRegistersEveryGraphsyncSearchAttribute(TemporalDevServer temporal) {
    String output = Processes.runOrFail(List.of(temporal.settings().cli().toString(), "operator",
            "search-attribute", "list", "--address", temporal.address(), "--namespace", temporal.namespace()),
        java.util.Map.of(), Duration.ofSeconds(30), "listing search attributes");

    assertThat(TemporalDevServer.SEARCH_ATTRIBUTES).isNotEmpty();
    TemporalDevServer.SEARCH_ATTRIBUTES.forEach(
        (name, type) -> assertThat(output).containsPattern(name + "\\s+" + type));
  }

  @Test
  void givenDevServer_whenItRuns_itServesTheWebUiAndItsApi(TemporalDevServer temporal) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(temporal.uiUrl() + "/")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    var settings = http.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(temporal.uiUrl() + "/api/v1/settings")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("_app/immutable");
    assertThat(settings.statusCode()).isEqualTo(200);
    assertThat(settings.body()).contains("\"Auth\"");
  }
}
