package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * Who may call what on the running application (docs/security.md, "REST and actuator access"): for each endpoint
 * group, no credentials → 401, a role too low → 403, the right role → through to the controller. "Through" is
 * shown with requests the controller answers without side effects (an unmapped table: 400; no open conflict: 404).
 */
class SecurityIT extends StackIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Value("${local.server.port}")
  int port;

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(TestCredentials as, String path) throws Exception {
    return send(as == null ? HttpRequest.newBuilder(URI.create(url(path))) : as.request(url(path)));
  }

  private HttpResponse<String> post(TestCredentials as, String path, String body) throws Exception {
    HttpRequest.Builder request = as == null ? HttpRequest.newBuilder(URI.create(url(path))) : as.request(url(path));
    return send(request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  @Test
  void givenNoCredentials_whenAnyApiEndpointIsCalled_itIs401WithABasicChallenge() throws Exception {
    for (HttpResponse<String> response : new HttpResponse[] {get(null, "/api/conflicts"),
        post(null, "/api/backfill", "{}"), post(null, "/api/health-check", ""),
        post(null, "/api/conflicts/Concept/" + UUID.randomUUID() + "/approve", "{\"resolution\":\"DISMISS\"}")}) {
      assertThat(response.statusCode()).as(response.request().uri().toString()).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
          .startsWith("Basic"));
    }
  }

  @Test
  void givenAWrongPassword_whenCalled_itIs401() throws Exception {
    String wrong = "Basic " + Base64.getEncoder().encodeToString((TestCredentials.OPERATOR.user() + ":nope")
        .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url("/api/conflicts")))
        .header("Authorization", wrong));
    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void givenAViewer_whenReading_itIsAllowed_andWhenActing_itIs403() throws Exception {
    assertThat(get(TestCredentials.VIEWER, "/api/conflicts").statusCode()).isEqualTo(200);
    assertThat(get(TestCredentials.VIEWER, "/api/conflicts/Concept/" + UUID.randomUUID()).statusCode())
        .as("through to the controller: no such conflict").isEqualTo(404);

    assertThat(post(TestCredentials.VIEWER, "/api/backfill", "{\"tables\":[\"no_such_table\"]}").statusCode())
        .isEqualTo(403);
    assertThat(post(TestCredentials.VIEWER, "/api/health-check", "").statusCode()).isEqualTo(403);
    assertThat(post(TestCredentials.VIEWER, "/api/conflicts/Concept/" + UUID.randomUUID() + "/approve",
        "{\"resolution\":\"DISMISS\"}").statusCode()).isEqualTo(403);
  }

  @Test
  void givenAMetricsUser_itMayScrapeButNotReadTheApi() throws Exception {
    assertThat(get(TestCredentials.METRICS, "/actuator/prometheus").statusCode()).isEqualTo(200);
    assertThat(get(TestCredentials.METRICS, "/actuator/metrics").statusCode()).isEqualTo(200);
    assertThat(get(TestCredentials.METRICS, "/api/conflicts").statusCode()).isEqualTo(403);
    assertThat(get(TestCredentials.METRICS, "/actuator/info").statusCode()).isEqualTo(403);
    assertThat(get(null, "/actuator/prometheus").statusCode()).isEqualTo(401);
    assertThat(get(null, "/actuator/metrics").statusCode()).isEqualTo(401);
  }

  @Test
  void givenAnOperator_whenActing_itReachesTheControllers() throws Exception {
    HttpResponse<String> backfill = post(TestCredentials.OPERATOR, "/api/backfill", "{\"tables\":[\"no_such_table\"]}");
    assertThat(backfill.statusCode()).as(backfill.body()).isEqualTo(400);
    HttpResponse<String> approve = post(TestCredentials.OPERATOR, "/api/conflicts/Concept/" + UUID.randomUUID()
        + "/approve", "{\"resolution\":\"DISMISS\"}");
    assertThat(approve.statusCode()).as(approve.body()).isIn(404, 503);
    assertThat(get(TestCredentials.OPERATOR, "/api/conflicts").statusCode()).as("an operator is a viewer too")
        .isEqualTo(200);
    assertThat(get(TestCredentials.OPERATOR, "/actuator/prometheus").statusCode()).isEqualTo(200);
  }

  @Test
  void givenHealth_itShowsTheStatusToEveryoneAndTheDetailsOnlyToAuthenticatedCallers() throws Exception {
    HttpResponse<String> anonymous = get(null, "/actuator/health");
    assertThat(anonymous.statusCode()).isEqualTo(200);
    JsonNode status = JSON.readTree(anonymous.body());
    assertThat(status.path("status").asText()).isNotBlank();
    assertThat(status.has("components")).as(anonymous.body()).isFalse();

    JsonNode details = JSON.readTree(get(TestCredentials.VIEWER, "/actuator/health").body());
    assertThat(details.path("components").path("db").path("status").asText()).isEqualTo("UP");
    assertThat(details.path("components").path("temporal").path("details").isMissingNode()).isFalse();
  }

  @Test
  void givenALoginSession_itOpensTheSessionPageButIsNotACredentialForTheApi() throws Exception {
    // the form login (for the codec server, which the Web UI calls with the session cookie) ...
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    String loginPage = browser.send(HttpRequest.newBuilder(URI.create(url("/login"))).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(loginPage);
    assertThat(csrf.find()).as(loginPage).isTrue();
    String form = "username=" + enc(TestCredentials.VIEWER.user()) + "&password="
        + enc(TestCredentials.VIEWER.password()) + "&_csrf=" + enc(csrf.group(1));
    HttpResponse<String> session = browser.send(HttpRequest.newBuilder(URI.create(url("/login")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(session.uri().getPath()).isEqualTo("/session");
    assertThat(JSON.readTree(session.body()).path("user").asText()).isEqualTo(TestCredentials.VIEWER.user());

    // ... is not a credential for the API, which is stateless Basic: a cross-site form cannot act on it
    HttpResponse<String> api = browser.send(HttpRequest.newBuilder(URI.create(url("/api/conflicts"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(401);
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
