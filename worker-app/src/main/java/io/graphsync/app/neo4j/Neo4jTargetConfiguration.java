package io.graphsync.app.neo4j;

import io.graphsync.activities.neo4j.Neo4jTarget;
import org.neo4j.driver.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one {@link Neo4jTarget} of worker-app: Spring Boot's driver and the configured database. */
@Configuration(proxyBeanMethods = false)
class Neo4jTargetConfiguration {

  private static final Logger log = LoggerFactory.getLogger(Neo4jTargetConfiguration.class);

  @Bean
  Neo4jTarget neo4jTarget(Driver driver, Neo4jTargetProperties properties) {
    Neo4jTarget target = Neo4jTarget.of(driver, properties.database());
    log.info("graph: {}", target);
    return target;
  }
}
