package io.graphsync.app.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code graphsync.security.*}: worker-app's users and the codec server's CORS.
 *
 * @param users who may log in; a user without a password is left out (with a warning), and on a non-loopback
 *     address worker-app refuses to start with a missing or well-known password ({@link PasswordPolicy})
 * @param codec the codec server the Temporal Web UI calls
 */
@ConfigurationProperties("graphsync.security")
public record SecurityProperties(@DefaultValue List<User> users, @DefaultValue Codec codec) {

  /**
   * One user.
   *
   * @param name the login name; it is also what the conflict audit records as {@code decided_by}
   * @param password with its encoding id, as Spring Security's {@code DelegatingPasswordEncoder} reads it:
   *     {@code {bcrypt}$2a$10$…} (recommended) or {@code {noop}plain} (local use)
   * @param roles {@code operator}, {@code viewer} and/or {@code metrics} ({@link Role})
   */
  public record User(String name, String password, @DefaultValue List<String> roles) {}

  /**
   * The codec server ({@code /codec/decode}, {@code /codec/encode}).
   *
   * @param allowedOrigins the Web UI origins allowed to call it from the browser with credentials, e.g.
   *     {@code http://127.0.0.1:8233}
   */
  public record Codec(@DefaultValue List<String> allowedOrigins) {}
}
