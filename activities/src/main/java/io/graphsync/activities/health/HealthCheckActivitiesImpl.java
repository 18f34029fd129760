package io.graphsync.activities.health;

import io.graphsync.workflows.health.HealthCheckActivities;
import io.graphsync.workflows.health.StoreProbe;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.RoutingControl;

/** Reads versions from both stores. A failure propagates, so Temporal retries it as the workflow allows. */
public class HealthCheckActivitiesImpl implements HealthCheckActivities {

  private final DataSource dataSource;
  private final Driver driver;

  public HealthCheckActivitiesImpl(DataSource dataSource, Driver driver) {
    this.dataSource = dataSource;
    this.driver = driver;
  }

  @Override
  public StoreProbe probeStores() {
    String postgresVersion;
    String walLevel;
    try (Connection connection = dataSource.getConnection();
         Statement statement = connection.createStatement()) {
      postgresVersion = single(statement, "SHOW server_version");
      walLevel = single(statement, "SHOW wal_level");
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL is not reachable: " + e.getMessage(), e);
    }
    Record component = driver.executableQuery(
            "CALL dbms.components() YIELD name, versions, edition "
                + "WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version, edition")
        .withConfig(org.neo4j.driver.QueryConfig.builder().withRouting(RoutingControl.READ).build())
        .execute()
        .records()
        .get(0);
    return new StoreProbe(postgresVersion, walLevel, component.get("version").asString(),
        component.get("edition").asString());
  }

  private static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }
}
