package io.graphsync.app;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The users the tests give worker-app ({@code graphsync.security.users}), and their HTTP Basic credentials: every
 * test that calls the REST API or actuator details sends one of them, e.g.
 * {@code TestCredentials.OPERATOR.request(url)}.
 */
public enum TestCredentials {
  OPERATOR("it-operator", "operator"),
  VIEWER("it-viewer", "viewer"),
  METRICS("it-metrics", "metrics");

  private final String user;
  private final String role;

  TestCredentials(String user, String role) {
    this.user = user;
    this.role = role;
  }

  /** The login name: also what the conflict audit records for this user's approvals. */
  public String user() {
    return user;
  }

  /** A password long enough for the start-up policy; tests bind to loopback, so it is not checked there anyway. */
  public String password() {
    return user + "-password-for-tests";
  }

  /** The {@code Authorization} header value. */
  public String basic() {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password()).getBytes(StandardCharsets.UTF_8));
  }

  /** A request to {@code url} with this user's {@code Authorization} header. */
  public HttpRequest.Builder request(String url) {
    return sign(HttpRequest.newBuilder(URI.create(url)));
  }

  /** {@code builder} with this user's {@code Authorization} header. */
  public HttpRequest.Builder sign(HttpRequest.Builder builder) {
    return builder.header("Authorization", basic());
  }

  /** Adds every test user to worker-app's configuration. */
  public static void register(DynamicPropertyRegistry registry) {
    for (TestCredentials credentials : values()) {
      String at = "graphsync.security.users[" + credentials.ordinal() + "]";
      registry.add(at + ".name", credentials::user);
      registry.add(at + ".password", () -> "{noop}" + credentials.password());
      registry.add(at + ".roles", () -> credentials.role);
    }
  }
}
