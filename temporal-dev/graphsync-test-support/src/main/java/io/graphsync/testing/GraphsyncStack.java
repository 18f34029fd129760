package io.graphsync.testing;

import io.graphsync.dev.DevStack;
import io.graphsync.dev.Neo4jServer;
import io.graphsync.dev.PostgresServer;
import io.graphsync.dev.TemporalDevServer;
import io.graphsync.workflows.mapping.GraphMapping;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What graphsync's integration tests stand on, once per test JVM and shared by every test class: the servers of
 * {@link DevStack}, the database migrated as worker-app migrates it, the default mapping validated against it, one
 * Neo4j driver with the mapping's constraints and one Temporal client. Each piece is made when a test first asks
 * for it. Tests get these from {@link GraphsyncExtension}; {@link #shared()} is for the places JUnit cannot inject
 * into (a Spring {@code @DynamicPropertySource}).
 */
public final class GraphsyncStack {

  /** The default mapping (the sample ContextNexus schema), as worker-app loads it. */
  public static final String DEFAULT_MAPPING = "classpath:mapping/contextnexus.yml";

  private static final GraphsyncStack SHARED = new GraphsyncStack();
  /** The databases (by JDBC URL) migrated in this JVM: the shared one, and any a test makes or starts itself. */
  private static final Set<String> MIGRATED = new HashSet<>();

  private DataSource dataSource;
  private GraphMapping mapping;
  private Driver driver;
  private WorkflowServiceStubs serviceStubs;
  private WorkflowClient client;

  private GraphsyncStack() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "graphsync-stack-close"));
  }

  public static GraphsyncStack shared() {
    return SHARED;
  }

  public PostgresServer postgres() {
    return DevStack.shared().postgres();
  }

  public Neo4jServer neo4j() {
    return DevStack.shared().neo4j();
  }

  public TemporalDevServer temporal() {
    return DevStack.shared().temporal();
  }

  /** The shared PostgreSQL's database, with graphsync's core and sample migrations applied. */
  public synchronized DataSource dataSource() {
    if (dataSource == null) {
      DataSource candidate = postgres().dataSource();
      migrate(candidate);
      dataSource = candidate;
    }
    return dataSource;
  }

  /**
   * A database of a test's own on the shared PostgreSQL, created if it does not exist yet; not migrated (see
   * {@link #migrate(DataSource)}).
   */
  public DataSource database(String name) {
    PostgresServer postgres = postgres();
    try (Connection admin = postgres.dataSource().getConnection(); Statement statement = admin.createStatement()) {
      try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        if (!exists.next()) {
          statement.execute("CREATE DATABASE \"" + name + "\"");
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(postgres.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"));
    dataSource.setUser(postgres.settings().user());
    dataSource.setPassword(postgres.settings().password());
    return dataSource;
  }

  /** SQL on {@link #dataSource()}. */
  public Sql sql() {
    return new Sql(dataSource());
  }

  /**
   * Applies graphsync's core and sample migrations to a database, once per JVM (by its URL): for tests that make a
   * database or start a server of their own.
   */
  public static void migrate(DataSource dataSource) {
    String url;
    try (var connection = dataSource.getConnection()) {
      url = connection.getMetaData().getURL();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to " + dataSource, e);
    }
    synchronized (MIGRATED) {
      if (MIGRATED.add(url)) {
        ActivitiesCalls.migrate(dataSource);
      }
    }
  }

  /** The default mapping, resolved against the migrated database as worker-app resolves it. */
  public synchronized GraphMapping mapping() {
    if (mapping == null) {
      mapping = ActivitiesCalls.validate(dataSource(), ActivitiesCalls.load(DEFAULT_MAPPING));
    }
    return mapping;
  }

  /** A mapping of a test's own (YAML), resolved against the migrated database (and the test's own tables). */
  public GraphMapping mapping(String yaml, String source) {
    return ActivitiesCalls.validate(dataSource(), ActivitiesCalls.parse(yaml, source));
  }

  /**
   * A driver on the shared Neo4j with the default mapping's uniqueness constraints in place (from its labels, so it
   * needs no PostgreSQL). Shared: do not close it.
   */
  public synchronized Driver driver() {
    if (driver == null) {
      Neo4jServer neo4j = neo4j();
      Driver candidate = GraphDatabase.driver(neo4j.boltUri(), AuthTokens.basic(neo4j.user(), neo4j.password()));
      ActivitiesCalls.createConstraints(candidate, ActivitiesCalls.load(DEFAULT_MAPPING));
      driver = candidate;
    }
    return driver;
  }

  /** The service stubs of {@link #client()}. Shared: do not shut them down. */
  public synchronized WorkflowServiceStubs serviceStubs() {
    if (serviceStubs == null) {
      serviceStubs = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(temporal().address()).build());
    }
    return serviceStubs;
  }

  /** A client of the shared Temporal dev server's namespace. */
  public synchronized WorkflowClient client() {
    if (client == null) {
      client = WorkflowClient.newInstance(serviceStubs(),
          WorkflowClientOptions.newBuilder().setNamespace(temporal().namespace()).build());
    }
    return client;
  }

  /** Workers on {@link #client()}; the caller closes them (the extension does, after the test class). */
  public TestWorkers workers() {
    return new TestWorkers(client());
  }

  private synchronized void close() {
    if (driver != null) {
      driver.close();
    }
    if (serviceStubs != null) {
      serviceStubs.shutdownNow();
    }
  }
}
