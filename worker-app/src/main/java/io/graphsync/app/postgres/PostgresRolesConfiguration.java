package io.graphsync.app.postgres;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Resolves the PostgreSQL roles of worker-app's connections ({@link PostgresRoles}) and checks the database
 * passwords before anything connects: a default password is logged loudly, and refused when its server or the HTTP
 * port is reachable beyond loopback ({@link DefaultPasswords}).
 */
@Configuration(proxyBeanMethods = false)
class PostgresRolesConfiguration {

  private static final Logger log = LoggerFactory.getLogger(PostgresRolesConfiguration.class);

  @Bean
  PostgresRoles postgresRoles(DataSourceProperties dataSource, PostgresRoleProperties properties,
      Environment environment) {
    PostgresRoles roles = PostgresRoles.of(dataSource.determineUrl(), dataSource.determineUsername(),
        dataSource.determinePassword(), properties);
    List<DefaultPasswords.Credential> credentials = new ArrayList<>(roles.credentials());
    String neo4jUri = environment.getProperty("spring.neo4j.uri");
    if (neo4jUri != null) {
      String host = URI.create(neo4jUri).getHost();
      credentials.add(new DefaultPasswords.Credential("Neo4j user",
          environment.getProperty("spring.neo4j.authentication.username", "neo4j"),
          environment.getProperty("spring.neo4j.authentication.password"), List.of(host == null ? "" : host)));
    }
    for (String warning : DefaultPasswords.check(credentials, environment.getProperty("server.address"),
        properties.allowDefaultPasswords())) {
      log.warn("*** DEFAULT PASSWORD *** {}", warning);
    }
    log.info("{}", roles.describe());
    return roles;
  }
}
