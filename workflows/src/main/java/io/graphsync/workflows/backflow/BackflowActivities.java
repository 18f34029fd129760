package io.graphsync.workflows.backflow;

import io.graphsync.workflows.sync.ChangeEvent;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The back-flow's effects on Neo4j and PostgreSQL. */
@ActivityInterface
public interface BackflowActivities {

  /** Reads the elements of every declared case changed since the watermark (an indexed range read per case). */
  @ActivityMethod
  PollResult pollChanges(PollRequest request);

  /**
   * Writes the element as it is now into its row, in one PostgreSQL transaction: an INSERT for a graph-born node (no
   * {@code pgVersion}), an UPDATE locked on the {@code pg_version} the node was based on, an upsert for a join row;
   * {@code sync_origin = 'neo4j:<neo4jVersion>'} marks the write so the capture only stamps the graph with it. When
   * the row changed meanwhile, the case's conflict policy decides.
   */
  @ActivityMethod
  BackflowWrite writeToPostgres(GraphChange change);

  /**
   * Marks the element as synced back up to the change's {@code neo4jVersion} ({@code backflowVersion}); with a
   * version, also stamps it with the row's key and version ({@code pgId}, {@code pgVersion}, {@code lastSyncedAt}).
   * Never lowers what a later change stamped.
   */
  @ActivityMethod
  void stampGraph(GraphChange change, Long pgVersion);

  /**
   * The row as it is now, as a change for the sync's own {@code applyToGraph} (re-read by key at PostgreSQL's current
   * WAL position, taken while the row is locked): how a conflict that PostgreSQL wins rewrites the graph.
   */
  @ActivityMethod
  ChangeEvent rewriteFromPostgres(GraphChange change);
}
