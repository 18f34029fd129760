package io.graphsync.activities.bulk;

import io.graphsync.activities.metrics.SyncFailure;
import io.graphsync.activities.metrics.SyncMetrics;
import io.graphsync.activities.metrics.SyncPath;
import io.graphsync.activities.neo4j.GraphWriteActivitiesImpl;
import io.graphsync.activities.neo4j.MutationPlanner;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.activities.status.BatchSyncStatus;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.bulk.BatchItemResult;
import io.graphsync.workflows.bulk.BatchSyncActivities;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.graphsync.workflows.sync.SyncStatusUpdate;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sync batch's graph write and write-back. Per entity only the batch's latest change is written (the graph keeps
 * the last state either way, and the order guard would make the earlier ones no-ops after it); changes whose row must
 * be re-read go through the single-change writer ({@link GraphWriteActivitiesImpl}, locked re-read); all others are
 * written in one transaction by {@link BatchGraphWriter}. Bad data is reported per change, never thrown.
 *
 * <p><b>Metrics</b> ({@link SyncMetrics}, path {@code batch}): the activity reports every change of the batch as
 * written (a superseded one as not applied), a change it could not write as a non-retryable failure of its type, and
 * an attempt that throws as one failure (entity type {@code mixed} when the batch holds several).
 */
public class BatchSyncActivitiesImpl implements BatchSyncActivities {

  private static final Logger log = LoggerFactory.getLogger(BatchSyncActivitiesImpl.class);

  private final BatchGraphWriter graph;
  private final GraphWriteActivitiesImpl single;
  private final BatchSyncStatus status;
  private final SyncMetrics metrics;

  /**
   * @param mapping the mapping resolved by {@link io.graphsync.activities.mapping.MappingValidator}
   * @param neo4j the graph: driver and database
   */
  public BatchSyncActivitiesImpl(DataSource dataSource, Neo4jTarget neo4j, GraphMapping mapping) {
    this(dataSource, neo4j, mapping, SyncMetrics.NONE);
  }

  /** As above, reporting the batch's writes and failures to {@code metrics}. */
  public BatchSyncActivitiesImpl(DataSource dataSource, Neo4jTarget neo4j, GraphMapping mapping,
      SyncMetrics metrics) {
    Objects.requireNonNull(dataSource, "dataSource");
    this.graph = new BatchGraphWriter(neo4j.driver(), neo4j.sessionConfig(), new MutationPlanner(mapping));
    this.single = new GraphWriteActivitiesImpl(neo4j, mapping, new SourceRowReader(dataSource, mapping));
    this.status = new BatchSyncStatus(dataSource, mapping);
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public List<BatchItemResult> applyBatchToGraph(List<ChangeEvent> events) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    String lane = info.getActivityTaskQueue();
    Map<String, String> failureTypes = new HashMap<>();
    List<BatchItemResult> results;
    try {
      results = apply(events, Math.max(1, info.getAttempt()), failureTypes);
    } catch (RuntimeException failure) {
      metrics.failed(SyncPath.BATCH, lane, entityTypeOf(events), SyncFailure.of(failure));
      throw failure;
    }
    for (int i = 0; i < results.size(); i++) {
      ChangeEvent event = events.get(i);
      BatchItemResult result = results.get(i);
      if (result.failed()) {
        metrics.failed(SyncPath.BATCH, lane, event.entityType(),
            new SyncFailure(failureTypes.getOrDefault(event.eventId(), FailureType.INVALID_DATA.type()), false));
      } else {
        metrics.written(SyncPath.BATCH, lane, event, result.applied());
      }
    }
    return results;
  }

  /** The activity's work outside of an activity context (reports no metrics). */
  public List<BatchItemResult> apply(List<ChangeEvent> events, int attempt) {
    return apply(events, attempt, new HashMap<>());
  }

  /** The work; {@code failureTypes} receives event id → failure type of each change that could not be written. */
  private List<BatchItemResult> apply(List<ChangeEvent> events, int attempt, Map<String, String> failureTypes) {
    Map<String, ChangeEvent> latest = new HashMap<>();
    for (ChangeEvent event : events) {
      latest.merge(event.table() + "/" + event.entityId(), event,
          (a, b) -> b.position() > a.position() ? b : a);
    }
    List<ChangeEvent> batched = new ArrayList<>();
    Map<String, BatchItemResult> results = new HashMap<>();
    for (ChangeEvent event : latest.values()) {
      if (needsRow(event)) {
        results.put(event.eventId(), applySingle(event, attempt, failureTypes));
      } else {
        batched.add(event);
      }
    }
    if (!batched.isEmpty()) {
      BatchGraphWriter.Outcome written = graph.write(batched, Map.of("app", "graphsync", "batch",
          batched.get(0).position() + "-" + batched.get(batched.size() - 1).position()));
      for (ChangeEvent event : batched) {
        String invalid = written.invalid().get(event.eventId());
        if (invalid != null) {
          failureTypes.put(event.eventId(), written.invalidTypes().get(event.eventId()));
        }
        results.put(event.eventId(), invalid != null
            ? new BatchItemResult(event.eventId(), false, null, invalid)
            : new BatchItemResult(event.eventId(), written.applied().containsKey(event.eventId()),
                written.applied().get(event.eventId()), null));
      }
    }
    List<BatchItemResult> ordered = new ArrayList<>(events.size());
    for (ChangeEvent event : events) {
      BatchItemResult result = results.get(event.eventId());
      // superseded by a later change of the same entity in this batch
      ordered.add(result != null ? result : new BatchItemResult(event.eventId(), false, null, null));
    }
    return ordered;
  }

  @Override
  public int recordBatchSyncStatus(List<SyncStatusUpdate> updates) {
    return status.write(updates);
  }

  private BatchItemResult applySingle(ChangeEvent event, int attempt, Map<String, String> failureTypes) {
    try {
      GraphApplyResult result = single.apply(event, attempt);
      return new BatchItemResult(event.eventId(), result.applied(), result.nodeId(), null);
    } catch (ApplicationFailure failure) {
      if (!failure.isNonRetryable()) {
        throw failure;
      }
      log.warn("change {} of a batch cannot be written: {}", event.eventId(), failure.getOriginalMessage());
      failureTypes.put(event.eventId(), failure.getType());
      return new BatchItemResult(event.eventId(), false, null, failure.getOriginalMessage());
    }
  }

  /** Whether the change needs its row read (omitted data, or a TOASTed value PostgreSQL did not send). */
  private static boolean needsRow(ChangeEvent event) {
    if (event.eventType() == EventType.DELETE) {
      return false;
    }
    if (event.dataOmitted()) {
      return true;
    }
    return event.data() != null && event.data().values().stream().anyMatch(value ->
        ChangeEvent.UNAVAILABLE_VALUE.equals(value)
            || (value instanceof List<?> list && list.size() == 1
                && ChangeEvent.UNAVAILABLE_VALUE.equals(list.get(0))));
  }

  /** The entity type of a batch's changes, or {@code mixed}: one tag value per failed attempt. */
  private static String entityTypeOf(List<ChangeEvent> events) {
    List<String> types = events.stream().map(ChangeEvent::entityType).distinct().limit(2).toList();
    return types.size() == 1 ? types.get(0) : "mixed";
  }
}
