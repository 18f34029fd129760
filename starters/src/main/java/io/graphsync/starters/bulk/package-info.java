/** Starts backfills ({@code BackfillWorkflow}) from REST and code, one per scope at a time. */
package io.graphsync.starters.bulk;
