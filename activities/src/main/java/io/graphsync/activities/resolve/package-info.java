/**
 * The effects of a person's decision about a conflict ({@code ManualResolutionWorkflow}): the RECONCILIATION change
 * that rewrites a node from its row (KEEP_POSTGRES), the guarded update of a row from its node (KEEP_NEO4J), and the
 * audit record of every decision ({@code graphsync.conflict_audit}).
 */
package io.graphsync.activities.resolve;
