package io.graphsync.workflows.bulk;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The PostgreSQL and Neo4j side of a backfill. */
@ActivityInterface
public interface BackfillActivities {

  /**
   * Resolves the request's tables (all mapped ones when it names none: entity tables first, then join tables) and
   * counts their rows in scope. An unknown table or a key range over several tables fails non-retryably.
   */
  @ActivityMethod
  BackfillPlan planBackfill(BackfillRequest request);

  /**
   * Loads up to {@code maxPages} pages of one table. Each page is read in one PostgreSQL transaction that locks its
   * rows ({@code FOR SHARE}, waiting for open transactions that changed them) and takes the WAL insert position as
   * the page's position, so a change committed after the read always has a later position and wins in the graph.
   * The page is written with batched {@code UNWIND} statements under the per-entity guards (order key, tombstones,
   * placeholders) in one Neo4j transaction, and the rows' {@code sync_status} with one guarded statement.
   * Heartbeats its cursor after each page; a retry resumes there. Idempotent.
   */
  @ActivityMethod
  BackfillPageResult loadPages(BackfillPageRequest request);
}
