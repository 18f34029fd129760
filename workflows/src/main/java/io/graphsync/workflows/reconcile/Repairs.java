package io.graphsync.workflows.reconcile;

import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import java.time.Instant;

/**
 * What a confirmed finding turns into: pure functions, used by the workflow.
 *
 * <p>A repair is an ordinary change event with {@code source=RECONCILIATION} and {@code dataOmitted=true}: the graph
 * writer re-reads the row from PostgreSQL when it applies it, so the graph gets the row as it is then. Its position is
 * the re-check's WAL position: greater than every change committed before the re-check, smaller than every later
 * one, so the order guard keeps a later change from being overwritten by the repair and vice versa.
 */
public final class Repairs {

  private Repairs() {}

  /**
   * The change that repairs {@code finding}: a DELETE when the row is gone (an orphan synced from PostgreSQL; leaves a
   * tombstone), a CREATE when the graph lacks the element, else an UPDATE.
   *
   * @param position the re-check's WAL position
   * @param correlationId groups the repairs of one reconciliation run
   * @param timestamp when the repair was decided (workflow time)
   */
  public static ChangeEvent eventFor(Finding finding, long position, String correlationId, Instant timestamp) {
    EventType type = !finding.inPostgres() ? EventType.DELETE
        : !finding.inNeo4j() ? EventType.CREATE : EventType.UPDATE;
    return ChangeEvent.builder(EventSource.RECONCILIATION, type)
        .entity(finding.table(), finding.entityType(), finding.entityId()).tenantId(finding.tenantId())
        .correlationId(correlationId).timestamp(timestamp)
        .version(type == EventType.DELETE ? null : finding.rowVersion()).position(position).dataOmitted(true).build();
  }

  /** The conflict a same-version attribute mismatch hands to a person. */
  public static Conflict conflictOf(Finding finding, Instant detectedAt, String detectedBy) {
    return new Conflict(finding.table(), finding.entityType(), finding.entityId(), finding.tenantId(),
        Conflict.SAME_VERSION_DIFFERENT_CONTENT, finding.rowVersion(), finding.neo4jVersion(), finding.postgres(),
        finding.neo4j(), finding.differences(), detectedAt, detectedBy);
  }
}
