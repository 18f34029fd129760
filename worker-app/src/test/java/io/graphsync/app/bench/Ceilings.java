package io.graphsync.app.bench;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.neo4j.driver.Driver;

/** The ceilings the sync must be read against, measured on the same servers in the same run. */
final class Ceilings {

  private Ceilings() {}

  @WorkflowInterface
  public interface BareWorkflow {
    @WorkflowMethod
    String run(String input);
  }

  @ActivityInterface
  public interface BareActivities {
    String first(String input);

    String second(String input);
  }

  public static class BareActivitiesImpl implements BareActivities {
    @Override
    public String first(String input) {
      return input;
    }

    @Override
    public String second(String input) {
      return input;
    }
  }

  public static class BareWorkflowImpl implements BareWorkflow {
    private final BareActivities activities = Workflow.newActivityStub(BareActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public String run(String input) {
      return activities.second(activities.first(input));
    }
  }

  /** Bare two-activity workflows per second on this Temporal server, started concurrently like the capture does. */
  static double bareWorkflowRate(WorkflowClient client, int count) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    String queue = "bench-bare-" + UUID.randomUUID();
    Worker worker = factory.newWorker(queue);
    worker.registerWorkflowImplementationTypes(BareWorkflowImpl.class);
    worker.registerActivitiesImplementations(new BareActivitiesImpl());
    factory.start();
    try {
      // warm-up
      run(client, queue, 20);
      long start = System.nanoTime();
      run(client, queue, count);
      return count / ((System.nanoTime() - start) / 1e9);
    } finally {
      factory.shutdownNow();
    }
  }

  private static void run(WorkflowClient client, String queue, int count) {
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      WorkflowStub stub = client.newUntypedWorkflowStub("BareWorkflow",
          WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(queue + "/" + i + "/" + System.nanoTime())
              .build());
      stub.start("x");
      results.add(stub.getResultAsync(String.class));
    }
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();
  }

  /** Nodes per second through batched {@code UNWIND … MERGE} (batches of 1,000), one transaction per batch. */
  static double unwindMergeRate(Driver driver, int nodes) {
    String label = "BenchUnwind";
    driver.executableQuery(
            "CREATE CONSTRAINT bench_unwind_id IF NOT EXISTS FOR (n:" + label + ") REQUIRE n.id IS UNIQUE")
        .execute();
    long start = System.nanoTime();
    for (int offset = 0; offset < nodes; offset += 1000) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = offset; i < Math.min(nodes, offset + 1000); i++) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", "u-" + i);
        row.put("name", "node " + i);
        row.put("position", (long) i);
        rows.add(row);
      }
      driver.executableQuery("UNWIND $rows AS row MERGE (n:" + label + " {id: row.id}) "
              + "SET n.name = row.name, n.syncPosition = row.position")
          .withParameters(Map.of("rows", rows)).execute();
    }
    double rate = nodes / ((System.nanoTime() - start) / 1e9);
    try (org.neo4j.driver.Session session = driver.session()) {
      // CALL … IN TRANSACTIONS needs an implicit (auto-commit) transaction
      session.run("MATCH (n:" + label + ") CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume();
    }
    return rate;
  }

  /** Transactions per second with one {@code MERGE} per transaction: the per-event path's Neo4j floor. */
  static double singleMergeTxRate(Driver driver, int transactions) {
    driver.executableQuery("CREATE CONSTRAINT bench_single_id IF NOT EXISTS FOR (n:BenchSingle) REQUIRE n.id IS UNIQUE")
        .execute();
    long start = System.nanoTime();
    for (int i = 0; i < transactions; i++) {
      driver.executableQuery("MERGE (n:BenchSingle {id: $id}) SET n.syncPosition = $position")
          .withParameters(Map.of("id", "s-" + i, "position", (long) i)).execute();
    }
    double rate = transactions / ((System.nanoTime() - start) / 1e9);
    driver.executableQuery("MATCH (n:BenchSingle) DETACH DELETE n").execute();
    return rate;
  }
}
