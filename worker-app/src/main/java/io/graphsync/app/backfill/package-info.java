/**
 * Backfills: their activities, the policy of {@code BackfillWorkflow}s and {@code POST /api/backfill}
 * ({@code graphsync.backfill.*}).
 */
package io.graphsync.app.backfill;
