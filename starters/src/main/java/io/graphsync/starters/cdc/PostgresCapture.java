package io.graphsync.starters.cdc;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL capture: a Debezium embedded engine (pgoutput) whose every committed change of a mapped table
 * starts one {@code SyncChangeEventWorkflow}.
 *
 * <p><b>Exactly one capture per slot.</b> Before it starts the engine, an instance takes the capture lease of its
 * slot, a PostgreSQL session advisory lock held on a dedicated connection ({@link CaptureLease}). An instance
 * without the lease is a standby ({@link CaptureState#STANDBY}): it tries again every
 * {@link CaptureSettings#leaseRetryInterval()}. A leader whose lease connection dies stops its engine and stands
 * by.
 *
 * <p><b>Never silently stopped.</b> When the engine fails (PostgreSQL or Temporal unreachable, a batch whose starts
 * failed), the failure is logged at ERROR and the engine restarts after a backoff that doubles from
 * {@link CaptureSettings#restartBackoff()} to {@link CaptureSettings#maxRestartBackoff()}. The unacknowledged
 * batch is delivered again; starts that had succeeded are acknowledged as duplicates.
 *
 * <p><b>Debezium settings</b> ({@link DebeziumProperties}): pgoutput; the slot of the settings, kept when the engine
 * stops ({@code slot.drop.on.stop=false}); a publication that graphsync keeps to exactly the mapped entity and join
 * tables before every engine start ({@link CapturePublication}; Debezium's {@code publication.autocreate.mode} is
 * {@code disabled}, {@code table.include.list} names the same tables); {@code snapshot.mode} from the
 * settings, {@code no_data} by default (the capture streams changes from the slot's creation on; existing rows are
 * loaded by the backfill and checked by reconciliation, never as one workflow per row); {@code poll.interval.ms}
 * 10 ms; heartbeats; {@code decimal.handling.mode=string}; {@code unavailable.value.placeholder} set explicitly;
 * {@code tombstones.on.delete=false}.
 *
 * <p><b>Offsets</b> live in PostgreSQL by default ({@link PostgresOffsetBackingStore}, table
 * {@code graphsync.capture_offsets}), so the instance that takes over the lease, on any machine, resumes where the
 * last leader acknowledged. Debezium advances the slot only after an offset commit, so even without the offsets the
 * slot holds every unacknowledged change.
 */
public final class PostgresCapture implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PostgresCapture.class);
  private static final Duration ENGINE_STOP_TIMEOUT = Duration.ofSeconds(60);
  /** The engine was stopped on purpose to switch to a renamed publication; not a failure. */
  private static final Throwable PUBLICATION_SWITCH = new IllegalStateException("publication switch");

  private final CaptureSettings settings;
  private final ChangeEventWorkflowStarter starter;
  private final boolean ownsStarter;
  private final MappedTables tables;
  private final SchemaDrift schemaDrift;
  private final CaptureBatchHandler handler;
  private final CaptureListener listener;
  private final CaptureLease lease;
  private final CapturePublication publication;
  private final InFlightSyncs inFlight;
  private final CaptureSlotMonitor slotMonitor;
  private final Clock clock;
  private final ExecutorService engineExecutor;
  private final ScheduledExecutorService slotExecutor;
  private final Object engineLock = new Object();

  private volatile CaptureState state = CaptureState.NEW;
  private volatile Instant stateSince;
  private volatile CaptureFailure lastFailure;
  private volatile boolean leader;
  private volatile boolean closing;
  private Thread supervisor;
  private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
  private Future<?> engineRun;

  /**
   * A capture that starts workflows with {@code client}: each change on its lane ({@link CaptureSettings#taskQueueOf}),
   * large transactions and backlogs as {@code SyncBatchWorkflow}s ({@link CaptureSettings#grouping()}).
   */
  public PostgresCapture(CaptureSettings settings, WorkflowClient client, CaptureListener listener) {
    this(settings, new ChangeEventWorkflowStarter(client, settings::taskQueueOf, settings.maxConcurrentStarts()),
        true, client, listener, Clock.systemUTC());
  }

  /** A capture that starts workflows through {@code starter} (which the caller closes), one per change. */
  public PostgresCapture(CaptureSettings settings, ChangeEventWorkflowStarter starter, CaptureListener listener) {
    this(settings, starter, false, null, listener, Clock.systemUTC());
  }

  private PostgresCapture(
      CaptureSettings settings, ChangeEventWorkflowStarter starter, boolean ownsStarter, WorkflowClient client,
      CaptureListener listener, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.starter = Objects.requireNonNull(starter, "starter");
    this.ownsStarter = ownsStarter;
    this.listener = listener == null ? CaptureListener.NONE : listener;
    this.clock = clock;
    this.tables = new MappedTables(settings.mapping(), settings.defaultSchema());
    this.inFlight = client != null && settings.grouping().enabled()
        ? new InFlightSyncs(client, settings.grouping().inFlightCheckInterval()) : null;
    this.schemaDrift = new SchemaDrift(clock);
    this.handler = new CaptureBatchHandler(new ChangeEventMapper(tables, settings.maxPayloadBytes(), schemaDrift),
        starter,
        this.listener,
        new PostgresRejectedChanges(settings.jdbcUrl(), settings.user(), settings.password(), settings.slotName()),
        clock, inFlight == null ? null
            : new CaptureBatchHandler.Grouped(grouping(settings), new SyncBatchStarter(client), inFlight),
        client == null ? null : new TruncateStarter(client));
    this.lease = new CaptureLease(settings.jdbcUrl(), settings.user(), settings.password(), settings.slotName());
    this.publication = new CapturePublication(settings, tables);
    this.slotMonitor = new CaptureSlotMonitor(settings, clock);
    this.stateSince = clock.instant();
    this.engineExecutor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "graphsync-capture-engine-" + settings.slotName());
      thread.setDaemon(true);
      return thread;
    });
    this.slotExecutor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "graphsync-capture-slot-" + settings.slotName());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts the capture in the background: it takes the lease (or stands by) and runs the engine. */
  public synchronized void start() {
    if (supervisor != null) {
      throw new IllegalStateException("the capture of slot " + settings.slotName() + " was already started");
    }
    if (closing) {
      throw new IllegalStateException("the capture of slot " + settings.slotName() + " is closed");
    }
    log.info("starting the capture of slot {} (publication {}, tables {})", settings.slotName(),
        settings.publicationName(), tables.qualifiedNames());
    if (inFlight != null) {
      inFlight.start();
    }
    supervisor = new Thread(this::supervise, "graphsync-capture-" + settings.slotName());
    supervisor.setDaemon(true);
    supervisor.start();
    long every = settings.slotCheckInterval().toMillis();
    slotExecutor.scheduleWithFixedDelay(this::checkSlot, every, every, TimeUnit.MILLISECONDS);
  }

  private static CaptureGrouping grouping(CaptureSettings settings) {
    CaptureSettings.Grouping grouping = settings.grouping();
    return new CaptureGrouping(grouping.threshold(), grouping.maxInFlight(), grouping.maxBatchEvents(),
        grouping.maxBatchBytes(), settings::taskQueueOf, settings.taskQueue(), CaptureGrouping::serializedSize);
  }

  /** Whether this instance holds the capture lease of its slot. */
  public boolean isLeader() {
    return leader;
  }

  public CaptureState state() {
    return state;
  }

  /**
   * The failure the capture is recovering from: the last error, since when the engine has been failing, and how
   * often it restarted since; empty once an engine runs again.
   */
  public Optional<CaptureFailure> lastError() {
    return Optional.ofNullable(lastFailure);
  }

  public CaptureSettings settings() {
    return settings;
  }

  /**
   * The last reading of the replication slot (retained WAL, confirmed lag, {@code wal_status}), taken every
   * {@link CaptureSettings#slotCheckInterval()} while this instance leads; empty otherwise.
   */
  public Optional<SlotStatus> slotStatus() {
    return leader ? slotMonitor.last() : Optional.empty();
  }

  /** The capture's health now: see {@link CaptureHealth}. Cheap: reads only what the capture's threads keep. */
  public CaptureHealth health() {
    return CaptureHealth.evaluate(state, stateSince, leader, lastFailure, slotStatus().orElse(null), settings,
        clock.instant(), schemaDrift.findings(), schemaDrift.unmappedColumns());
  }

  private void checkSlot() {
    try {
      if (leader && !closing) {
        slotMonitor.refresh();
      } else {
        slotMonitor.reset();
      }
    } catch (RuntimeException e) {
      log.warn("checking replication slot {} failed", settings.slotName(), e);
    }
  }

  private void supervise() {
    Duration backoff = settings.restartBackoff();
    boolean standbyLogged = false;
    try {
      while (!closing) {
        Lease attempt = tryAcquireLease();
        if (attempt == Lease.UNREACHABLE) {
          leader = false;
          setState(CaptureState.DISCONNECTED); // not a standby: it cannot know who holds the lease
          sleep(settings.leaseRetryInterval());
          continue;
        }
        if (attempt == Lease.HELD_ELSEWHERE) {
          leader = false;
          if (!standbyLogged) {
            log.info("standby: another instance holds the capture lease of slot {}; retrying every {}",
                settings.slotName(), settings.leaseRetryInterval());
            standbyLogged = true;
          }
          lastFailure = null;
          setState(CaptureState.STANDBY);
          sleep(settings.leaseRetryInterval());
          continue;
        }
        if (!leader) {
          log.info("acquired the capture lease of slot {}: this instance captures", settings.slotName());
          leader = true;
          standbyLogged = false;
        }
        Instant startedAt = clock.instant();
        Throwable failure = runEngineWhileLeader();
        if (closing) {
          break;
        }
        if (!leader || failure == PUBLICATION_SWITCH) {
          continue; // lease lost: stand by; or the slot caught up with a renamed publication: start on it now
        }
        if (Duration.between(startedAt, clock.instant()).compareTo(settings.maxRestartBackoff()) > 0) {
          backoff = settings.restartBackoff(); // it ran healthy for a while
        }
        recordFailure(failure);
        setState(CaptureState.RESTARTING);
        log.error("the capture engine of slot {} stopped; restarting in {}", settings.slotName(), backoff, failure);
        sleep(backoff);
        backoff = min(backoff.multipliedBy(2), settings.maxRestartBackoff());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      log.error("the capture supervisor of slot {} failed", settings.slotName(), e);
    } finally {
      stopEngine();
      lease.release();
      leader = false;
      setState(CaptureState.STOPPED);
      log.info("the capture of slot {} stopped and released its lease", settings.slotName());
    }
  }

  /** Where the slot's capture lease is, as far as this instance can tell. */
  private enum Lease {
    HELD,
    HELD_ELSEWHERE,
    UNREACHABLE
  }

  /** Takes (or keeps) the lease; an unreachable PostgreSQL is recorded as a failure. */
  private Lease tryAcquireLease() {
    try {
      return lease.tryAcquire() ? Lease.HELD : Lease.HELD_ELSEWHERE;
    } catch (SQLException e) {
      log.warn("cannot reach PostgreSQL for the capture lease of slot {}: {}", settings.slotName(), e.getMessage());
      recordFailure(new IllegalStateException("cannot reach PostgreSQL for the capture lease of slot "
          + settings.slotName() + ": " + e.getMessage(), e));
      return Lease.UNREACHABLE;
    }
  }

  /**
   * Runs one engine until it ends, the lease is lost, or the capture closes. Returns the engine's failure (or a
   * description of its unexpected stop).
   */
  private Throwable runEngineWhileLeader() throws InterruptedException {
    setState(CaptureState.STARTING);
    try {
      Optional<String> unusable = slotMonitor.unusable(settings.offsetStorage());
      if (unusable.isPresent()) {
        return new IllegalStateException(unusable.get() + "; " + CaptureHealth.slotRecovery(settings));
      }
    } catch (SQLException e) {
      return new IllegalStateException("cannot check replication slot " + settings.slotName() + ": "
          + e.getMessage(), e);
    }
    CapturePublication.Plan plan;
    try {
      plan = publication.prepare();
    } catch (SQLException | RuntimeException e) {
      return new IllegalStateException("cannot prepare publication " + settings.publicationName() + " of slot "
          + settings.slotName() + ": " + e.getMessage(), e);
    }
    CompletableFuture<Throwable> completion = new CompletableFuture<>();
    DebeziumEngine<RecordChangeEvent<SourceRecord>> built = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
        .using(DebeziumProperties.of(settings, tables, plan.streamFrom(), publication.lastServer()))
        .using(new DebeziumEngine.ConnectorCallback() {
          @Override
          public void taskStarted() {
            if (!closing) {
              lastFailure = null;
              setState(CaptureState.RUNNING);
              try {
                slotExecutor.execute(PostgresCapture.this::checkSlot); // a reading of the slot it streams from
              } catch (RejectedExecutionException closed) {
                // the capture is closing
              }
              log.info("capturing changes of slot {}", settings.slotName());
            }
          }
        })
        .using((success, message, error) -> completion.complete(
            error != null ? error : new IllegalStateException("the engine stopped: " + message)))
        .notifying(handler)
        .build();
    synchronized (engineLock) {
      if (closing) {
        closeQuietly(built);
        return null;
      }
      engine = built;
      engineRun = engineExecutor.submit(() -> {
        try {
          built.run();
        } finally {
          completion.complete(new IllegalStateException("the engine returned"));
        }
      });
    }
    long checkMillis = settings.leaseRetryInterval().toMillis();
    while (!closing) {
      try {
        return completion.get(checkMillis, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        if (!lease.stillHeld()) {
          log.error("lost the capture lease of slot {} (its PostgreSQL session ended): stopping the engine and "
              + "standing by", settings.slotName());
          stopEngine();
          lease.release();
          leader = false;
          return null;
        }
        if (publicationSwitchDue(plan)) {
          log.info("slot {} confirmed the creation of publication {}: restarting the engine on it",
              settings.slotName(), settings.publicationName());
          stopEngine();
          return PUBLICATION_SWITCH;
        }
      } catch (ExecutionException impossible) {
        return impossible.getCause();
      }
    }
    return null;
  }

  /** Whether the engine streams from a previous publication and the slot has passed the configured one's creation. */
  private boolean publicationSwitchDue(CapturePublication.Plan plan) {
    if (plan.switchAt().isEmpty()) {
      return false;
    }
    try {
      return publication.confirmedFlushLsn().map(confirmed -> confirmed >= plan.switchAt().get()).orElse(false);
    } catch (SQLException e) {
      log.warn("cannot read the position of slot {}: {}", settings.slotName(), e.getMessage());
      return false;
    }
  }

  private void stopEngine() {
    DebeziumEngine<RecordChangeEvent<SourceRecord>> current;
    Future<?> run;
    synchronized (engineLock) {
      current = engine;
      run = engineRun;
      engine = null;
      engineRun = null;
    }
    if (current == null) {
      return;
    }
    closeQuietly(current);
    try {
      run.get(ENGINE_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      log.debug("the capture engine ended with an error", e.getCause());
    } catch (TimeoutException e) {
      log.error("the capture engine of slot {} did not stop within {}", settings.slotName(), ENGINE_STOP_TIMEOUT);
    }
  }

  private void closeQuietly(DebeziumEngine<?> toClose) {
    try {
      toClose.close();
    } catch (IOException | RuntimeException e) {
      log.warn("closing the capture engine of slot {} failed", settings.slotName(), e);
    }
  }

  private void recordFailure(Throwable failure) {
    CaptureFailure previous = lastFailure;
    String message = failure == null ? "the engine stopped" : describe(failure);
    lastFailure = previous == null
        ? new CaptureFailure(message, clock.instant(), 1)
        : new CaptureFailure(message, previous.since(), previous.restarts() + 1);
  }

  /** The failure and its causes in one line, each message once: what an operator needs to see first. */
  static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (text.indexOf(message) < 0) {
        text.append(text.isEmpty() ? "" : ": ").append(message);
      }
    }
    return text.toString();
  }

  private void setState(CaptureState newState) {
    if (state != newState) {
      stateSince = clock.instant();
      state = newState;
      listener.onStateChanged(newState);
    }
  }

  private void sleep(Duration duration) throws InterruptedException {
    if (!closing) {
      Thread.sleep(duration.toMillis());
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Stops the engine cleanly (its last acknowledged offsets are committed) and releases the lease. */
  @Override
  public void close() {
    Thread running;
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      running = supervisor;
    }
    log.info("closing the capture of slot {}", settings.slotName());
    stopEngine();
    if (running != null) {
      running.interrupt();
      try {
        running.join(ENGINE_STOP_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      setState(CaptureState.STOPPED);
    }
    engineExecutor.shutdownNow();
    slotExecutor.shutdownNow();
    slotMonitor.close();
    if (inFlight != null) {
      inFlight.close();
    }
    if (ownsStarter) {
      starter.close();
    }
  }
}
