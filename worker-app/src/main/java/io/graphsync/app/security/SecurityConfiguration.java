package io.graphsync.app.security;

import static org.springframework.security.config.Customizer.withDefaults;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Who may call what ({@link Role}; docs/security.md):
 *
 * <ul>
 *   <li>{@code /api/**} and {@code /actuator/**}: HTTP Basic on every request, no session (so no CSRF exposure).
 *       {@code GET /actuator/health[/**]} is public: status only for anonymous callers (probes), details for
 *       authenticated ones. {@code /actuator/prometheus} and {@code /actuator/metrics/**}: {@code metrics}; the rest of
 *       actuator and {@code GET /api/**}: {@code viewer}; any other method under {@code /api}: {@code operator}.
 *   <li>everything else, above all the codec server {@code /codec/**}: a session after a form login ({@code /login}),
 *       or HTTP Basic (the {@code temporal} CLI's {@code --codec-auth}); CORS for the Web UI's origins with
 *       credentials; {@code POST /codec/decode}: {@code viewer}, {@code POST /codec/encode}: {@code operator}. An
 *       unauthenticated codec request gets 401 (never a redirect to the login page).
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
  private static final Pattern ENCODING_ID = Pattern.compile("^\\{[A-Za-z0-9_-]+}.*", Pattern.DOTALL);

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  static RoleHierarchy roleHierarchy() {
    return RoleHierarchyImpl.fromHierarchy(Role.hierarchy());
  }

  /**
   * The users of {@code graphsync.security.users}; refuses to start on a non-loopback address with a weak or missing
   * password ({@link PasswordPolicy}).
   */
  @Bean
  UserDetailsService userDetailsService(SecurityProperties properties, PasswordEncoder encoder,
      @Value("${server.address:}") String serverAddress,
      @Value("${management.server.address:}") String managementAddress,
      @Value("${management.server.port:}") String managementPort) {
    List<String> bound = new ArrayList<>(List.of(serverAddress));
    if (!managementPort.isBlank()) {
      bound.add(managementAddress);
    }
    List<SecurityProperties.User> users = properties.users();
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < users.size(); i++) {
      SecurityProperties.User user = users.get(i);
      String at = "graphsync.security.users[" + i + "]";
      if (user.name() == null || user.name().isBlank()) {
        throw new IllegalStateException(at + ".name is missing");
      }
      if (!names.add(user.name())) {
        throw new IllegalStateException(at + ": user '" + user.name() + "' is configured twice");
      }
      if (user.password() != null && !user.password().isBlank() && !ENCODING_ID.matcher(user.password()).matches()) {
        throw new IllegalStateException(at + ".password (user '" + user.name() + "') must name its encoding: "
            + "{bcrypt}$2a$10$… or {noop}plain-text");
      }
      user.roles().forEach(Role::fromConfig);
    }
    PasswordPolicy.check(users, bound, encoder);
    List<UserDetails> details = new ArrayList<>();
    for (SecurityProperties.User user : users) {
      if (user.password() == null || user.password().isBlank()) {
        log.warn("worker-app user '{}' has no password and cannot log in (graphsync.security.users; the local stack "
            + "generates them: temporal-dev/bin/run)", user.name());
        continue;
      }
      details.add(User.withUsername(user.name()).password(user.password())
          .authorities(user.roles().stream().map(Role::fromConfig).map(Role::authority).toArray(String[]::new))
          .build());
    }
    if (details.isEmpty()) {
      log.warn("worker-app has no user with a password: the REST API, actuator details and the codec server answer "
          + "401 to everyone");
    }
    return new InMemoryUserDetailsManager(details);
  }

  @Bean
  @Order(1)
  SecurityFilterChain apiAndActuator(HttpSecurity http) throws Exception {
    http.securityMatcher("/api/**", "/actuator/**")
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
            .requestMatchers("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/**")
            .hasRole(Role.METRICS.name())
            .requestMatchers("/actuator/**").hasRole(Role.VIEWER.name())
            .requestMatchers(HttpMethod.GET, "/api/**").hasRole(Role.VIEWER.name())
            .requestMatchers(HttpMethod.HEAD, "/api/**").hasRole(Role.VIEWER.name())
            .requestMatchers("/api/**").hasRole(Role.OPERATOR.name())
            .anyRequest().denyAll())
        .httpBasic(withDefaults())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable());
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain codecAndLogin(HttpSecurity http, SecurityProperties properties) throws Exception {
    PathPatternRequestMatcher codec = PathPatternRequestMatcher.withDefaults().matcher("/codec/**");
    http.authorizeHttpRequests(requests -> requests
            .requestMatchers(HttpMethod.POST, "/codec/decode").hasRole(Role.VIEWER.name())
            .requestMatchers(HttpMethod.POST, "/codec/encode").hasRole(Role.OPERATOR.name())
            .requestMatchers("/login", "/error").permitAll()
            .anyRequest().authenticated())
        .cors(cors -> cors.configurationSource(codecCors(properties.codec())))
        .csrf(csrf -> csrf.ignoringRequestMatchers(codec))
        .formLogin(login -> login.defaultSuccessUrl("/session", true))
        .httpBasic(withDefaults())
        .exceptionHandling(exceptions -> exceptions
            .defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), codec));
    return http.build();
  }

  /**
   * CORS for {@code /codec/**} only: the Web UI's origins, with credentials (the session cookie), the headers the UI
   * sends ({@code X-Namespace}, {@code Content-Type}, {@code Authorization}).
   */
  static UrlBasedCorsConfigurationSource codecCors(SecurityProperties.Codec codec) {
    CorsConfiguration cors = new CorsConfiguration();
    cors.setAllowedOrigins(codec.allowedOrigins());
    cors.setAllowCredentials(true);
    cors.setAllowedMethods(List.of("POST", "OPTIONS"));
    cors.setAllowedHeaders(List.of("Content-Type", "X-Namespace", "Authorization"));
    cors.setMaxAge(3600L);
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/codec/**", cors);
    return source;
  }
}
