package io.graphsync.workflows.bulk;

import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.SyncStatusUpdate;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** The graph write and the write-back of a {@link SyncBatchWorkflow}. */
@ActivityInterface
public interface BatchSyncActivities {

  /**
   * Writes the changes to Neo4j in one transaction: one {@code UNWIND} statement per statement shape, each row under
   * exactly the per-entity guard of a single change (order key, tombstones, placeholders), so the order in which the
   * batch, other batches and per-change syncs run never matters. Per entity only its latest change of the batch is
   * written (the others are superseded). A change that needs its row re-read (omitted data, unavailable TOASTed
   * values) is applied like a single change. A change that cannot be written (bad data) is reported, not thrown;
   * store outages throw and Temporal retries the batch. Idempotent.
   *
   * @return one result per change, in the batch's order
   */
  @ActivityMethod
  List<BatchItemResult> applyBatchToGraph(List<ChangeEvent> events);

  /**
   * Marks the rows, one guarded statement per table: each row only while it still has the synced
   * {@code pg_version} (a newer pending change stays PENDING), bookkeeping columns only.
   *
   * @return how many rows were marked
   */
  @ActivityMethod
  int recordBatchSyncStatus(List<SyncStatusUpdate> updates);
}
