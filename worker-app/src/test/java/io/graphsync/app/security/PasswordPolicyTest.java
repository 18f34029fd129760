package io.graphsync.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

class PasswordPolicyTest {

  private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

  private static SecurityProperties.User user(String name, String password) {
    return new SecurityProperties.User(name, password, List.of("operator"));
  }

  @Test
  void givenAddresses_itTellsLoopbackFromReachable() {
    assertThat(PasswordPolicy.isLoopback("127.0.0.1")).isTrue();
    assertThat(PasswordPolicy.isLoopback("::1")).isTrue();
    assertThat(PasswordPolicy.isLoopback("localhost")).isTrue();
    assertThat(PasswordPolicy.isLoopback("0.0.0.0")).as("every interface").isFalse();
    assertThat(PasswordPolicy.isLoopback("")).as("no server.address: every interface").isFalse();
    assertThat(PasswordPolicy.isLoopback(null)).isFalse();
    assertThat(PasswordPolicy.isLoopback("10.1.2.3")).isFalse();
  }

  @Test
  void givenALoopbackAddress_whenPasswordsAreMissingOrWeak_itStarts() {
    assertThatCode(() -> PasswordPolicy.check(List.of(user("operator", null), user("viewer", "{noop}viewer")),
        List.of("127.0.0.1"), encoder)).doesNotThrowAnyException();
  }

  @Test
  void givenAReachableAddress_whenAPasswordIsMissing_itRefusesToStartNamingTheUser() {
    assertThatThrownBy(() -> PasswordPolicy.check(List.of(user("operator", ""),
        user("viewer", "{noop}a-long-enough-password")), List.of("0.0.0.0"), encoder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("user 'operator' has no password")
        .hasMessageNotContaining("viewer'")
        .hasMessageContaining("GRAPHSYNC_HTTP_ADDRESS");
  }

  @Test
  void givenAReachableAddress_whenAPasswordIsWellKnownOrShortOrTheName_itRefusesToStart() {
    String bcryptOfChangeme = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("changeme");
    for (SecurityProperties.User weak : List.of(user("ops", "{noop}graphsync-dev"), user("ops", bcryptOfChangeme),
        user("operator-account", "{noop}operator-account"), user("ops", "{noop}short"))) {
      assertThatThrownBy(() -> PasswordPolicy.check(List.of(weak), List.of(""), encoder))
          .as(weak.password())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("user '" + weak.name() + "'")
          .hasMessageNotContaining(weak.password());
    }
  }

  @Test
  void givenAReachableAddress_whenNoUserIsConfigured_itRefusesToStart() {
    assertThatThrownBy(() -> PasswordPolicy.check(List.of(), List.of("192.0.2.10"), encoder))
        .hasMessageContaining("no user is configured");
  }

  @Test
  void givenAReachableAddress_whenEveryPasswordIsStrong_itStarts() {
    String bcrypt = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("correct horse battery staple");
    assertThatCode(() -> PasswordPolicy.check(List.of(user("operator", bcrypt),
        user("viewer", "{noop}k3Yp-9vQ-rT2x-Lm8w")), List.of("0.0.0.0"), encoder)).doesNotThrowAnyException();
  }
}
