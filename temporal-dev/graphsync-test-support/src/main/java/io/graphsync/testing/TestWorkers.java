package io.graphsync.testing;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Builds Temporal workers for a test on the shared client: {@code workers.on(queue).workflow(...).activities(...)
 * .start()}. Every worker started here stops with {@link #close()}; {@link GraphsyncExtension} closes the instance it
 * injects after the test class.
 */
public final class TestWorkers implements AutoCloseable {

  private final WorkflowClient client;
  private final List<TestWorker> started = new ArrayList<>();

  TestWorkers(WorkflowClient client) {
    this.client = client;
  }

  /** A task queue of its own for a test class: {@code prefix-<random>}. */
  public static String taskQueue(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  /** A worker polling {@code taskQueue}, to be given its workflows and activities. */
  public Builder on(String taskQueue) {
    return new Builder(taskQueue);
  }

  /** Stops every worker started here. */
  @Override
  public synchronized void close() {
    for (TestWorker worker : started) {
      worker.close();
    }
    started.clear();
  }

  private synchronized TestWorker started(TestWorker worker) {
    started.add(worker);
    return worker;
  }

  /** One worker: workflow implementations, activity implementations, options; {@link #start()}. */
  public final class Builder {

    private final String taskQueue;
    private final List<Consumer<Worker>> registrations = new ArrayList<>();
    private WorkerOptions options = WorkerOptions.getDefaultInstance();

    private Builder(String taskQueue) {
      this.taskQueue = taskQueue;
    }

    /** A workflow implementation made by {@code factory} (for implementations with constructor arguments). */
    public <T> Builder workflow(Class<T> workflowInterface, Supplier<? extends T> factory) {
      registrations.add(worker -> worker.registerWorkflowImplementationFactory(workflowInterface, factory::get));
      return this;
    }

    /** Workflow implementation classes with a no-argument constructor. */
    public Builder workflows(Class<?>... implementations) {
      registrations.add(worker -> worker.registerWorkflowImplementationTypes(implementations));
      return this;
    }

    public Builder activities(Object... implementations) {
      registrations.add(worker -> worker.registerActivitiesImplementations(implementations));
      return this;
    }

    public Builder options(WorkerOptions workerOptions) {
      this.options = workerOptions;
      return this;
    }

    /** Starts the worker (its own factory on the shared client): it polls from now on. */
    public TestWorker start() {
      WorkerFactory factory = WorkerFactory.newInstance(client);
      Worker worker = factory.newWorker(taskQueue, options);
      registrations.forEach(registration -> registration.accept(worker));
      factory.start();
      return started(new TestWorker(taskQueue, factory));
    }
  }

  /** A started worker; {@link #close()} stops it (and waits for its polls and tasks to end). */
  public static final class TestWorker implements AutoCloseable {

    private final String taskQueue;
    private final WorkerFactory factory;

    private TestWorker(String taskQueue, WorkerFactory factory) {
      this.taskQueue = taskQueue;
      this.factory = factory;
    }

    public String taskQueue() {
      return taskQueue;
    }

    public WorkerFactory factory() {
      return factory;
    }

    @Override
    public void close() {
      if (!factory.isShutdown()) {
        factory.shutdown();
        factory.awaitTermination(10, TimeUnit.SECONDS);
      }
      if (!factory.isTerminated()) {
        factory.shutdownNow();
        factory.awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }
}
