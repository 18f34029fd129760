package io.graphsync.starters.cdc;

import io.graphsync.workflows.TaskQueues;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.SyncChangeEventWorkflow;
import io.graphsync.workflows.sync.SyncStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one {@code SyncChangeEventWorkflow} per {@link ChangeEvent}, by workflow type name (the capture does not
 * depend on the workflow's implementation).
 *
 * <p>The workflow id is {@link ChangeEvent#workflowId()}, with
 * {@link WorkflowIdReusePolicy#WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE
 * REJECT_DUPLICATE}: a change replayed after a crash finds its workflow already there, which counts as accepted
 * ({@link StartOutcome#ALREADY_STARTED}). Every start carries the search attributes of {@link SyncSearchAttributes}
 * ({@code SyncStatus = RUNNING}) and a static summary for the Web UI.
 */
public class ChangeEventWorkflowStarter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChangeEventWorkflowStarter.class);
  private static final int SHORT_ID_LENGTH = 8;

  /**
   * What became of one start: Temporal created the workflow now ({@link #STARTED}), it already existed (a replayed
   * change, {@link #ALREADY_STARTED}), or Temporal rejected it for a reason that will never heal ({@link Rejected}:
   * see {@link StartFailures}). Outages are not outcomes: they throw.
   */
  public sealed interface StartOutcome permits StartOutcome.Accepted, StartOutcome.Rejected {

    StartOutcome STARTED = Accepted.STARTED;
    StartOutcome ALREADY_STARTED = Accepted.ALREADY_STARTED;

    /** Temporal has the workflow. */
    enum Accepted implements StartOutcome {
      STARTED,
      ALREADY_STARTED
    }

    /**
     * Temporal will never accept this start.
     *
     * @param code the gRPC status code ({@code INVALID_ARGUMENT}, {@code FAILED_PRECONDITION}, ...), or
     *     {@code DATA_CONVERTER} when the input could not be serialised
     * @param reason Temporal's message
     */
    record Rejected(String code, String reason) implements StartOutcome {

      /** For logs and the rejects table. */
      public String describe(ChangeEvent event) {
        return describe(event.workflowId());
      }

      /** For logs and the rejects table. */
      public String describe(String workflowId) {
        return "Temporal rejected the start of workflow " + workflowId + " (" + code + "): " + reason;
      }
    }
  }

  private final WorkflowClient client;
  private final Function<ChangeEvent, String> taskQueueOf;
  private final ExecutorService executor;

  /** Starts every workflow on {@code taskQueue}, at most {@code maxConcurrentStarts} at once. */
  public ChangeEventWorkflowStarter(WorkflowClient client, String taskQueue, int maxConcurrentStarts) {
    this(client, event -> taskQueue, maxConcurrentStarts);
  }

  /** Routes each event to the task queue {@code taskQueueOf} names (priority lanes). */
  public ChangeEventWorkflowStarter(
      WorkflowClient client, Function<ChangeEvent, String> taskQueueOf, int maxConcurrentStarts) {
    this.client = Objects.requireNonNull(client, "client");
    this.taskQueueOf = Objects.requireNonNull(taskQueueOf, "taskQueueOf");
    this.executor = Executors.newFixedThreadPool(maxConcurrentStarts, daemonThreads("graphsync-workflow-start-"));
  }

  /** Starts on {@link TaskQueues#SYNC_DEFAULT}. */
  public ChangeEventWorkflowStarter(WorkflowClient client) {
    this(client, TaskQueues.SYNC_DEFAULT, 16);
  }

  /** Starts one workflow; returns once Temporal accepted it or reported that it exists. */
  public StartOutcome start(ChangeEvent event) {
    try {
      client.newUntypedWorkflowStub(SyncChangeEventWorkflow.TYPE, options(event)).start(event);
      return StartOutcome.STARTED;
    } catch (WorkflowExecutionAlreadyStarted duplicate) {
      log.debug("workflow {} already exists: change acknowledged again", event.workflowId());
      return StartOutcome.ALREADY_STARTED;
    }
  }

  /**
   * Starts one workflow, and tells a start that Temporal will never accept ({@link StartOutcome.Rejected}) from an
   * outage, which throws.
   */
  StartOutcome startOrReject(ChangeEvent event) {
    try {
      return start(event);
    } catch (RuntimeException e) {
      Optional<StartOutcome.Rejected> rejected = StartFailures.rejection(e);
      if (rejected.isPresent()) {
        return rejected.get();
      }
      throw e;
    }
  }

  /**
   * Starts the workflows of a batch concurrently and returns only when every start was accepted or rejected for
   * good ({@link StartOutcome.Rejected}), in the order of {@code events}.
   *
   * @throws WorkflowStartException if any start failed for another reason (an outage); the others were still
   *     awaited, so none is left in flight
   */
  public List<StartOutcome> startAll(List<ChangeEvent> events) throws InterruptedException {
    if (events.isEmpty()) {
      return List.of();
    }
    if (events.size() == 1) {
      try {
        return List.of(startOrReject(events.get(0)));
      } catch (RuntimeException e) {
        throw new WorkflowStartException("starting " + events.get(0).workflowId() + " failed", e);
      }
    }
    List<CompletableFuture<StartOutcome>> starts = new ArrayList<>(events.size());
    for (ChangeEvent event : events) {
      starts.add(CompletableFuture.supplyAsync(() -> startOrReject(event), executor));
    }
    List<StartOutcome> outcomes = new ArrayList<>(events.size());
    WorkflowStartException failure = null;
    for (int i = 0; i < starts.size(); i++) {
      try {
        outcomes.add(starts.get(i).get());
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause()
            : e.getCause();
        if (failure == null) {
          failure = new WorkflowStartException("starting " + events.get(i).workflowId() + " failed", cause);
        } else {
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return outcomes;
  }

  WorkflowOptions options(ChangeEvent event) {
    SearchAttributes.Builder attributes = SearchAttributes.newBuilder()
        .set(SyncSearchAttributes.ENTITY_TYPE, event.entityType())
        .set(SyncSearchAttributes.ENTITY_ID, event.entityId())
        .set(SyncSearchAttributes.EVENT_TYPE, event.eventType().name())
        .set(SyncSearchAttributes.SYNC_STATUS, SyncStatus.RUNNING.name());
    if (event.tenantId() != null) {
      attributes.set(SyncSearchAttributes.TENANT_ID, event.tenantId());
    }
    if (event.source() == EventSource.NEO4J) {
      // the back-flow's own write, captured: it only stamps the graph (Source="NEO4J" lists it with the back-flow)
      attributes.set(SyncSearchAttributes.SOURCE, EventSource.NEO4J.name());
    }
    return WorkflowOptions.newBuilder()
        .setWorkflowId(event.workflowId())
        .setTaskQueue(taskQueueOf.apply(event))
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setTypedSearchAttributes(attributes.build())
        .setStaticSummary(summary(event))
        // eager start: when this client's worker polls the task queue, the server hands the first workflow task
        // back in the start response (no matching round trip); otherwise it is an ordinary start
        .setDisableEagerExecution(false)
        .build();
  }

  /** E.g. {@code UPDATE ContentItem 3f2a9c1e… (tenant 7d01aa2b…) v7}. */
  static String summary(ChangeEvent event) {
    StringBuilder summary = new StringBuilder()
        .append(event.eventType()).append(' ')
        .append(event.entityType()).append(' ')
        .append(shorten(event.entityId()));
    if (event.tenantId() != null) {
      summary.append(" (tenant ").append(shorten(event.tenantId())).append(')');
    }
    if (event.version() != null) {
      summary.append(" v").append(event.version());
    }
    return summary.toString();
  }

  private static String shorten(String id) {
    return id.length() <= SHORT_ID_LENGTH + 4 ? id : id.substring(0, SHORT_ID_LENGTH) + "…";
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
