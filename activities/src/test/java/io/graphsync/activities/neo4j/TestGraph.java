package io.graphsync.activities.neo4j;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.GraphApplyResult;
import java.util.UUID;
import org.neo4j.driver.Driver;

/**
 * The graph writer on the harness's shared driver (the default mapping's constraints in place) and a probe to read
 * back.
 */
public final class TestGraph {

  public final Driver driver;
  final GraphWriteActivitiesImpl activities;
  public final GraphProbe probe;

  private TestGraph(Driver driver) {
    this.driver = driver;
    this.activities = new GraphWriteActivitiesImpl(Neo4jTarget.of(driver), ResolvedContextNexus.mapping(), null);
    this.probe = new GraphProbe(driver);
  }

  /** On the driver {@code GraphsyncExtension} injects. */
  public static TestGraph connect(Driver driver) {
    return new TestGraph(driver);
  }

  /** Applies outside of an activity, as attempt 1. */
  public GraphApplyResult apply(ChangeEvent event) {
    return activities.apply(event, 1);
  }

  public static String newId() {
    return UUID.randomUUID().toString();
  }
}
