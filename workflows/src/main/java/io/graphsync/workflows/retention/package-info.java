/**
 * Retention: a Temporal Schedule runs {@link io.graphsync.workflows.retention.RetentionWorkflow} (daily by default),
 * which deletes graphsync's own records older than their retention — reconciliation runs with their findings,
 * capture rejects, and decided conflicts' audit rows — so that values they hold are not kept indefinitely.
 */
package io.graphsync.workflows.retention;
