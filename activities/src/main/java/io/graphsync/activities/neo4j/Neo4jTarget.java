package io.graphsync.activities.neo4j;

import java.util.Objects;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * Where graphsync's graph lives: the driver and the session configuration (the database) every activity opens its
 * sessions with. worker-app creates one from its configuration; tests use {@link #of(Driver)}.
 *
 * @param driver the Neo4j driver (its connection pool)
 * @param sessionConfig the configuration of every session: the database, or the server's default
 */
public record Neo4jTarget(Driver driver, SessionConfig sessionConfig) {

  public Neo4jTarget {
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(sessionConfig, "sessionConfig");
  }

  /** The server's default database. */
  public static Neo4jTarget of(Driver driver) {
    return new Neo4jTarget(driver, SessionConfig.defaultConfig());
  }

  /** The named database; null or blank: the server's default database. */
  public static Neo4jTarget of(Driver driver, String database) {
    return database == null || database.isBlank()
        ? of(driver)
        : new Neo4jTarget(driver, SessionConfig.forDatabase(database.strip()));
  }

  /** A new session on the target's database; the caller closes it. */
  public Session session() {
    return driver.session(sessionConfig);
  }

  @Override
  public String toString() {
    return "Neo4jTarget[database=" + sessionConfig.database().orElse("<server default>") + "]";
  }
}
