package io.graphsync.activities.neo4j;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import io.graphsync.dev.Neo4jServer;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.GraphApplyResult;
import java.util.UUID;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

/**
 * One driver per test JVM on the shared Neo4j, with the default mapping's constraints in place, the graph writer and
 * a probe to read back.
 */
public final class TestGraph {

  private static TestGraph shared;

  public final Driver driver;
  final GraphWriteActivitiesImpl activities;
  public final GraphProbe probe;

  private TestGraph(Driver driver) {
    this.driver = driver;
    this.activities = new GraphWriteActivitiesImpl(driver, ResolvedContextNexus.mapping(), null, null);
    this.probe = new GraphProbe(driver);
  }

  public static synchronized TestGraph connect(Neo4jServer neo4j) {
    if (shared == null) {
      Driver driver = GraphDatabase.driver(neo4j.boltUri(), AuthTokens.basic(neo4j.user(), neo4j.password()));
      Runtime.getRuntime().addShutdownHook(new Thread(driver::close, "test-graph-driver-close"));
      new GraphSchemaInitializer(driver, null).initialize(ResolvedContextNexus.mapping());
      shared = new TestGraph(driver);
    }
    return shared;
  }

  /** Applies outside of an activity, as attempt 1. */
  public GraphApplyResult apply(ChangeEvent event) {
    return activities.apply(event, 1);
  }

  public static String newId() {
    return UUID.randomUUID().toString();
  }
}
