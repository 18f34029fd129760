package io.graphsync.activities.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.SessionConfig;

class Neo4jTargetTest {

  private static final Driver DRIVER = (Driver) Proxy.newProxyInstance(Driver.class.getClassLoader(),
      new Class<?>[] {Driver.class}, (proxy, method, args) -> {
        throw new UnsupportedOperationException(method.getName());
      });

  @Test
  void givenNoDatabase_whenCreated_itUsesTheServersDefault() {
    assertThat(Neo4jTarget.of(DRIVER).sessionConfig()).isEqualTo(SessionConfig.defaultConfig());
    assertThat(Neo4jTarget.of(DRIVER, null).sessionConfig()).isEqualTo(SessionConfig.defaultConfig());
    assertThat(Neo4jTarget.of(DRIVER, "  ").sessionConfig()).isEqualTo(SessionConfig.defaultConfig());
    assertThat(Neo4jTarget.of(DRIVER, null)).hasToString("Neo4jTarget[database=<server default>]");
  }

  @Test
  void givenADatabase_whenCreated_everySessionUsesIt() {
    Neo4jTarget target = Neo4jTarget.of(DRIVER, " graph ");

    assertThat(target.sessionConfig()).isEqualTo(SessionConfig.forDatabase("graph"));
    assertThat(target.driver()).isSameAs(DRIVER);
    assertThat(target).hasToString("Neo4jTarget[database=graph]");
  }

  @Test
  void givenNoDriver_whenCreated_itIsRefused() {
    assertThatThrownBy(() -> Neo4jTarget.of(null)).isInstanceOf(NullPointerException.class).hasMessage("driver");
  }
}
