package io.graphsync.starters.cdc;

import io.graphsync.workflows.sync.SyncChangeEventWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many per-change syncs are running, for the capture's backpressure: Temporal's count of running
 * {@code SyncChangeEventWorkflow}s with {@code SyncStatus="RUNNING"} (FAILED ones waiting for an operator do not
 * count), read every {@code interval} on a daemon thread, plus the starts made since the last reading. An estimate
 * (visibility lags a little), never a blocking call on the capture's thread.
 */
final class InFlightSyncs implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InFlightSyncs.class);

  static final String QUERY = "WorkflowType = '" + SyncChangeEventWorkflow.TYPE
      + "' AND ExecutionStatus = 'Running' AND SyncStatus = 'RUNNING'";

  private final WorkflowClient client;
  private final Duration interval;
  private final AtomicLong counted = new AtomicLong();
  private final AtomicLong startedSince = new AtomicLong();
  private final Thread poller;
  private volatile boolean closed;

  InFlightSyncs(WorkflowClient client, Duration interval) {
    this.client = client;
    this.interval = interval;
    this.poller = new Thread(this::poll, "graphsync-capture-in-flight");
    poller.setDaemon(true);
  }

  void start() {
    poller.start();
  }

  /** The estimate: the last count plus the starts made since. */
  long current() {
    return counted.get() + startedSince.get();
  }

  /** Per-change workflows just started. */
  void started(int count) {
    startedSince.addAndGet(count);
  }

  private void poll() {
    boolean warned = false;
    while (!closed) {
      try {
        long before = startedSince.get();
        long count = client.countWorkflows(QUERY).getCount();
        counted.set(count);
        startedSince.addAndGet(-before);
        warned = false;
      } catch (RuntimeException e) {
        if (!warned) {
          log.warn("cannot count the running syncs ({}); the capture keeps its last estimate", e.getMessage());
          warned = true;
        }
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    poller.interrupt();
  }
}
