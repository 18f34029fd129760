package io.graphsync.activities.neo4j;

import io.graphsync.activities.metrics.SyncFailure;
import io.graphsync.activities.metrics.SyncMetrics;
import io.graphsync.activities.metrics.SyncPath;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.graphsync.workflows.sync.GraphWriteActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.Value;
import org.neo4j.driver.exceptions.Neo4jException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies change events to Neo4j: plans the {@link GraphMutation}, then runs its one Cypher statement in one write
 * transaction ({@code executeWrite}, which retries transient errors such as deadlocks). Idempotent: a duplicate or
 * stale event matches the guard and changes nothing. Bad data fails non-retryably (see {@link MutationPlanner});
 * Neo4j errors propagate so Temporal retries them.
 *
 * <p><b>Omitted data</b> ({@link ChangeEvent#dataOmitted()}: the change was over the capture's payload size limit,
 * a reconciliation repair, or an operator's retry asks for the row as it is now): a CREATE or UPDATE re-reads its
 * row from PostgreSQL under a row lock ({@link SourceRowReader#readLocked}) and applies it as the event's data, with
 * the row's current {@code pg_version} (the version of the data written), at the position of that locked read (or
 * the event's own, if later). So a change committed after the read always has a later position and wins, and one
 * that was still open when the repair was decided is waited for and read as committed: a snapshot write never hides
 * a later change. A row that is gone applies nothing ({@code applied=false}): its DELETE event updates the
 * graph. A DELETE needs no row: it is planned from {@code previousData} and {@code entityId} as always.
 *
 * <p><b>Metrics:</b> the activity ({@link #applyToGraph}) tells its {@link SyncMetrics} of each write and each
 * failed attempt, on the {@code per-change} path; {@link #apply} (the work without an activity context, which the
 * batch and resolution activities reuse) reports nothing, so their own meters do not count a change twice.
 */
public class GraphWriteActivitiesImpl implements GraphWriteActivities {

  private static final Logger log = LoggerFactory.getLogger(GraphWriteActivitiesImpl.class);

  private final Driver driver;
  private final MutationPlanner planner;
  private final SessionConfig sessionConfig;
  private final SourceRowReader sourceRows;
  private final SyncMetrics metrics;

  /**
   * @param mapping the mapping resolved by {@link io.graphsync.activities.mapping.MappingValidator}
   * @param neo4j the graph: driver and database
   * @param sourceRows re-reads the rows of changes whose data was omitted (built on the same resolved mapping); null
   *     only where no such change can arrive: one that does then fails non-retryably
   */
  public GraphWriteActivitiesImpl(Neo4jTarget neo4j, GraphMapping mapping, SourceRowReader sourceRows) {
    this(neo4j, mapping, sourceRows, SyncMetrics.NONE);
  }

  /** As above, reporting its writes and failed attempts to {@code metrics}. */
  public GraphWriteActivitiesImpl(Neo4jTarget neo4j, GraphMapping mapping, SourceRowReader sourceRows,
      SyncMetrics metrics) {
    this.driver = neo4j.driver();
    this.planner = new MutationPlanner(mapping);
    this.sessionConfig = neo4j.sessionConfig();
    this.sourceRows = sourceRows;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public GraphApplyResult applyToGraph(ChangeEvent event) {
    // attempts count from 1; Temporal's TestActivityEnvironment leaves the attempt unset (0)
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    int attempt = Math.max(1, info.getAttempt());
    GraphApplyResult result;
    try {
      result = apply(event, attempt);
    } catch (RuntimeException failure) {
      metrics.failed(SyncPath.PER_CHANGE, info.getActivityTaskQueue(), event.entityType(), SyncFailure.of(failure));
      throw failure;
    }
    metrics.written(SyncPath.PER_CHANGE, info.getActivityTaskQueue(), event, result.applied());
    return result;
  }

  /** The activity's work, outside of an activity context: {@code attempt} is reported back as is. */
  public GraphApplyResult apply(ChangeEvent event, int attempt) {
    if (!event.dataOmitted() || !(event.eventType() == EventType.CREATE || event.eventType() == EventType.UPDATE)) {
      return write(withToastedValues(event), attempt);
    }
    Optional<ChangeEvent> withRow = withSourceRow(event);
    if (withRow.isEmpty()) {
      log.info("change {} of {} {} left its data out, and the row is gone: nothing to apply (its DELETE updates "
          + "the graph)", event.eventId(), event.table(), event.entityId());
      return new GraphApplyResult(false, null, attempt);
    }
    return write(withRow.get(), attempt);
  }

  private GraphApplyResult write(ChangeEvent event, int attempt) {
    GraphMutation mutation = planner.plan(event);
    CypherStatement statement = CypherStatements.of(mutation);
    for (int run = 1; ; run++) {
      List<Record> rows;
      try (Session session = driver.session(sessionConfig)) {
        rows = session.executeWrite(tx -> tx.run(statement.text(), statement.parameters()).list(),
            transactionConfig(event));
      } catch (Neo4jException e) {
        throw GraphFailures.classify(e);
      }
      if (!rows.isEmpty()) {
        Value nodeId = rows.get(0).get("nodeId");
        return new GraphApplyResult(true, nodeId.isNull() ? null : nodeId.asString(), attempt);
      }
      if (run >= MAX_STALE_RECHECKS || !(mutation instanceof GraphMutation.UpsertNode upsert)
          || !graphHoldsOlderThan(upsert)) {
        log.debug("stale or duplicate change {} (position {}): graph unchanged", event.eventId(), event.position());
        return new GraphApplyResult(false, null, attempt);
      }
      // judged stale, yet neither the node nor its tombstone holds a later position: the node was deleted by a
      // concurrent change while this statement waited to lock it; the same guarded write again sees the delete
      log.warn("change {} of {} {} judged stale while the graph holds nothing newer (a concurrent delete): writing it "
          + "again", event.eventId(), upsert.label(), upsert.id());
    }
  }

  /** How often a stale verdict that the graph contradicts is written again. */
  private static final int MAX_STALE_RECHECKS = 3;

  /** Whether neither the node nor its tombstone carries a position at or after the upsert's. */
  private boolean graphHoldsOlderThan(GraphMutation.UpsertNode upsert) {
    CypherStatement read = CypherStatements.guardPositions(upsert);
    try (Session session = driver.session(sessionConfig)) {
      return CypherStatements.olderThan(
          session.executeRead(tx -> tx.run(read.text(), read.parameters()).single()), upsert);
    }
  }



  /**
   * Fills the placeholders of unchanged TOASTed columns ({@link ChangeEvent#UNAVAILABLE_VALUE}) from the row, when
   * PostgreSQL still holds the change's version (an unchanged column then has the same value). Otherwise the
   * placeholders stay, the planner leaves those properties out, and the later change of the row, which brings its
   * own version, fills them. Without a reader, or for rows without a version, nothing is filled.
   */
  private ChangeEvent withToastedValues(ChangeEvent event) {
    if (sourceRows == null || event.data() == null || event.version() == null
        || event.eventType() == EventType.DELETE
        || event.data().values().stream().noneMatch(ValueConverter::isUnavailable)) {
      return event;
    }
    Optional<Map<String, Object>> row = sourceRows.read(event.table(), event.entityId());
    if (row.isEmpty() || !(row.get().get("pg_version") instanceof Number version)
        || version.longValue() != event.version()) {
      log.debug("change {}: TOASTed values not filled (row gone or at another version)", event.eventId());
      return event;
    }
    Map<String, Object> data = new HashMap<>(event.data());
    data.replaceAll((column, value) -> ValueConverter.isUnavailable(value) && row.get().containsKey(column)
        ? row.get().get(column) : value);
    return event.toBuilder().data(data).dataOmitted(false).build();
  }

  /** The event with its row as PostgreSQL holds it now, or empty when the row is gone. */
  private Optional<ChangeEvent> withSourceRow(ChangeEvent event) {
    if (sourceRows == null) {
      throw ApplicationFailure.newNonRetryableFailure("change " + event.eventId() + " left its data out (dataOmitted)"
          + ", but this graph writer was built without a SourceRowReader to re-read the row: give "
          + "GraphWriteActivitiesImpl one", FailureType.INVALID_DATA.type());
    }
    Optional<SourceRowReader.LockedRow> locked = sourceRows.readLocked(event.table(), event.entityId());
    if (locked.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> data = locked.get().row();
    Long version = data.get("pg_version") instanceof Number number ? number.longValue() : event.version();
    // the row as it is now, at the position of the read: a change committed after it always comes later
    long position = Math.max(event.position(), locked.get().position());
    log.debug("change {} of {} {}: re-read its row (pg_version {}, change's version {}) at position {}",
        event.eventId(), event.table(), event.entityId(), version, event.version(), position);
    return Optional.of(event.toBuilder().data(data).version(version).position(position).dataOmitted(false).build());
  }

  /** Transaction metadata shows which change a running transaction applies ({@code SHOW TRANSACTIONS}). */
  private static TransactionConfig transactionConfig(ChangeEvent event) {
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("app", "graphsync");
    metadata.put("eventId", event.eventId());
    metadata.put("position", event.position());
    metadata.values().removeIf(Objects::isNull);
    return TransactionConfig.builder().withMetadata(metadata).build();
  }
}
