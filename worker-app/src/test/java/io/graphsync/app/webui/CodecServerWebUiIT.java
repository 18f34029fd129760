package io.graphsync.app.webui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsync.app.TestCredentials;
import io.graphsync.app.codec.ObscuringCodec;
import io.graphsync.app.security.SecurityProperties;
import io.graphsync.dev.TemporalDevServer;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The codec server (docs/security.md, "Codec server and the Web UI") with the real Web UI of the dev server in headless
 * Chromium: a workflow whose input is encoded in the history shows decoded only after the operator logged in to
 * worker-app, through the UI's codec settings with "include cross-origin credentials"; and the protocol itself: 401
 * without credentials, roles per endpoint, CORS for the UI's origin only.
 *
 * <p>worker-app here is only its web, security and codec-server part (no PostgreSQL, Neo4j or workers), with a test
 * {@link PayloadCodec} bean in place of graphsync's encrypting one: the codec server serves whichever bean there is.
 */
@SpringBootTest(classes = CodecServerWebUiIT.CodecServerApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.autoconfigure.exclude="
        + "io.temporal.spring.boot.autoconfigure.MetricsScopeAutoConfiguration,"
        + "io.temporal.spring.boot.autoconfigure.OpenTracingAutoConfiguration,"
        + "io.temporal.spring.boot.autoconfigure.TestServerAutoConfiguration,"
        + "io.temporal.spring.boot.autoconfigure.ServiceStubsAutoConfiguration,"
        + "io.temporal.spring.boot.autoconfigure.RootNamespaceAutoConfiguration,"
        + "io.temporal.spring.boot.autoconfigure.NonRootNamespaceAutoConfiguration,"
        + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
        + "org.springframework.boot.neo4j.autoconfigure.Neo4jAutoConfiguration")
@ExtendWith(GraphsyncExtension.class)
class CodecServerWebUiIT {

  /** worker-app's web, security and codec server, with the test codec. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableConfigurationProperties(SecurityProperties.class)
  @ComponentScan(basePackageClasses = SecurityProperties.class)
  static class CodecServerApp {
    @Bean
    PayloadCodec payloadCodec() {
      return new ObscuringCodec();
    }
  }

  @DynamicPropertySource
  static void users(DynamicPropertyRegistry registry) {
    TestCredentials.register(registry);
    registry.add("graphsync.security.codec.allowed-origins", () -> GraphsyncStack.shared().temporal().uiUrl());
  }

  @RegisterExtension
  static final HeadlessChromium chromium = new HeadlessChromium();

  private static final ObjectMapper JSON = new ObjectMapper();

  @Value("${local.server.port}")
  int port;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObscuringCodec codec = new ObscuringCodec();
  private TemporalDevServer temporal;
  private WorkflowClient client;
  private String workflowId;

  @BeforeEach
  void connect(TemporalDevServer temporal, WorkflowServiceStubs stubs) {
    this.temporal = temporal;
    client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(temporal.namespace())
        .setDataConverter(new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codec)))
        .build());
  }

  @AfterEach
  void terminate() {
    if (workflowId != null) {
      client.newUntypedWorkflowStub(workflowId).terminate("CodecServerWebUiIT cleanup");
    }
  }

  private String codecUrl() {
    return "http://127.0.0.1:" + port + "/codec";
  }

  private HttpResponse<String> post(HttpRequest.Builder request, String body) throws Exception {
    return http.send(request.header("Content-Type", "application/json").header("X-Namespace", temporal.namespace())
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String body(List<Payload> payloads) throws Exception {
    return JSON.writeValueAsString(Map.of("payloads", payloads.stream().map(payload -> Map.of(
        "metadata", Map.of("encoding", Base64.getEncoder().encodeToString(
            payload.getMetadataOrThrow("encoding").toByteArray())),
        "data", Base64.getEncoder().encodeToString(payload.getData().toByteArray()))).toList()));
  }

  private static String firstData(HttpResponse<String> response) throws Exception {
    JsonNode payload = JSON.readTree(response.body()).path("payloads").path(0);
    return new String(Base64.getDecoder().decode(payload.path("data").asText()), StandardCharsets.UTF_8);
  }

  @Test
  void givenAWorkflowWithAnEncodedInput_whenTheOperatorHasLoggedIn_theWebUiShowsItDecodedThroughTheCodecServer()
      throws Exception {
    String secret = "decoded-" + UUID.randomUUID();
    workflowId = "codec-webui/" + UUID.randomUUID();
    client.newUntypedWorkflowStub("CodecServerWebUiTest", WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId).setTaskQueue("codec-webui-" + UUID.randomUUID())
            .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build())
        .start(Map.of("row", secret));
    // the history holds the input encoded: not the value, not JSON
    HistoryEvent started = client.fetchHistory(workflowId).getEvents().stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED).findFirst()
        .orElseThrow();
    Payload input = started.getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0);
    assertThat(input.getMetadataOrThrow("encoding")).isEqualTo(ObscuringCodec.ENCODING);
    assertThat(input.toByteString().toStringUtf8()).doesNotContain(secret);

    // the Web UI's codec settings in this browser, as the operator sets them once (docs/security.md): this endpoint,
    // "use my browser setting", "include cross-origin credentials"
    TemporalWebUi ui = chromium.temporalWebUi(temporal);
    chromium.open(temporal.uiUrl() + "/namespaces/" + temporal.namespace() + "/workflows");
    ((JavascriptExecutor) chromium.driver()).executeScript(
        "localStorage.setItem('endpoint', JSON.stringify(arguments[0]));"
            + "localStorage.setItem('overrideRemoteCodecConfiguration', 'true');"
            + "localStorage.setItem('includeCredentials', 'true');"
            + "localStorage.setItem('passAccessToken', 'false');", codecUrl());

    // not logged in to worker-app: the codec server answers 401, the UI shows the payload as stored
    ui.openWorkflow(workflowId);
    String refused = chromium.await(HeadlessChromium.DEFAULT_WAIT)
        .withMessage("the Web UI to report that its codec server refused it")
        .until(d -> pageText(d).contains("Codec Server could not connect") ? pageText(d) : null);
    chromium.screenshot("codec-not-logged-in");
    assertThat(refused).doesNotContain(secret);

    // logged in (form login; the session cookie goes with the UI's codec requests): the input shows decoded
    chromium.open("http://127.0.0.1:" + port + "/login");
    WebDriver driver = chromium.driver();
    driver.findElement(By.name("username")).sendKeys(TestCredentials.VIEWER.user());
    driver.findElement(By.name("password")).sendKeys(TestCredentials.VIEWER.password());
    driver.findElement(By.cssSelector("button[type='submit']")).click();
    chromium.await(HeadlessChromium.DEFAULT_WAIT).withMessage("the login to land on /session")
        .until(d -> d.getCurrentUrl().endsWith("/session"));

    ui.openWorkflow(workflowId);
    String shown = chromium.await(HeadlessChromium.DEFAULT_WAIT)
        .withMessage("the Web UI to show the decoded input " + secret)
        .until(d -> pageText(d).contains(secret) ? pageText(d) : null);
    chromium.screenshot("codec-logged-in-decoded");
    assertThat(shown).contains(secret);
  }

  private static String pageText(WebDriver driver) {
    return String.valueOf(((JavascriptExecutor) driver).executeScript("return document.body.innerText"));
  }

  @Test
  void givenNoCredentials_whenDecoding_itIs401WithoutAChallengeOrARedirect() throws Exception {
    List<Payload> encoded = codec.encode(List.of(DefaultDataConverter.STANDARD_INSTANCE.toPayload("x").orElseThrow()));
    HttpResponse<String> response = post(HttpRequest.newBuilder(URI.create(codecUrl() + "/decode")), body(encoded));
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Location")).isEmpty();
    assertThat(response.body()).doesNotContain("\"x\"");
  }

  @Test
  void givenAViewer_itDecodesButMayNotEncode_andAnOperatorEncodes() throws Exception {
    Payload plain = DefaultDataConverter.STANDARD_INSTANCE.toPayload("a row value").orElseThrow();

    HttpResponse<String> decoded = post(TestCredentials.VIEWER.request(codecUrl() + "/decode"),
        body(codec.encode(List.of(plain))));
    assertThat(decoded.statusCode()).as(decoded.body()).isEqualTo(200);
    assertThat(firstData(decoded)).isEqualTo("\"a row value\"");

    assertThat(post(TestCredentials.VIEWER.request(codecUrl() + "/encode"), body(List.of(plain))).statusCode())
        .isEqualTo(403);
    HttpResponse<String> encoded = post(TestCredentials.OPERATOR.request(codecUrl() + "/encode"), body(List.of(plain)));
    assertThat(encoded.statusCode()).as(encoded.body()).isEqualTo(200);
    assertThat(firstData(encoded)).doesNotContain("a row value");
    assertThat(post(TestCredentials.METRICS.request(codecUrl() + "/decode"), body(List.of(plain))).statusCode())
        .isEqualTo(403);
  }

  @Test
  void givenTheWebUisOrigin_thePreflightAllowsItWithCredentials_andAnotherOriginIsRefused() throws Exception {
    String origin = temporal.uiUrl();
    HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(URI.create(codecUrl() + "/decode"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin).header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type,x-namespace").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains(origin);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");

    HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(codecUrl() + "/decode"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "http://evil.example").header("Access-Control-Request-Method", "POST").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }
}
