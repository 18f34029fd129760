/**
 * Retention's activity: {@link io.graphsync.activities.retention.RetentionActivitiesImpl} deletes graphsync's own
 * records (reconciliation runs and findings, capture rejects, conflict audit rows) older than their retention.
 */
package io.graphsync.activities.retention;
