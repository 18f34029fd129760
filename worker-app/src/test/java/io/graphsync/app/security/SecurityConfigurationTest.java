package io.graphsync.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.UserDetailsService;

/** The start-up check reads the addresses worker-app binds to and the configured users. */
class SecurityConfigurationTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(SecurityProperties.class)
  @Import(SecurityConfiguration.class)
  static class Security {}

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class,
          ServletWebSecurityAutoConfiguration.class))
      .withUserConfiguration(Security.class)
      .withPropertyValues("graphsync.security.users[0].name=operator", "graphsync.security.users[0].roles=operator");

  @Test
  void givenEveryInterfaceAndNoPassword_itDoesNotStart() {
    runner.withPropertyValues("server.address=0.0.0.0").run(context -> assertThat(context).hasFailed()
        .getFailure().rootCause().hasMessageContaining("user 'operator' has no password"));
  }

  @Test
  void givenNoServerAddressAndADefaultPassword_itDoesNotStart() {
    runner.withPropertyValues("graphsync.security.users[0].password={noop}changeme").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("every interface"));
  }

  @Test
  void givenLoopbackAndNoPassword_itStartsWithoutThatUser() {
    runner.withPropertyValues("server.address=127.0.0.1").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(UserDetailsService.class)).isNotNull();
    });
  }

  @Test
  void givenAPasswordWithoutEncoding_itDoesNotStart() {
    runner.withPropertyValues("server.address=127.0.0.1", "graphsync.security.users[0].password=plain")
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("must name its encoding"));
  }

  @Test
  void givenAnUnknownRole_itDoesNotStart() {
    runner.withPropertyValues("server.address=127.0.0.1", "graphsync.security.users[0].password={noop}x",
        "graphsync.security.users[0].roles=admin").run(context -> assertThat(context).hasFailed().getFailure()
        .rootCause().hasMessageContaining("unknown role 'admin'"));
  }
}
