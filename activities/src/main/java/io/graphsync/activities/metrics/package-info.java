/**
 * What the sync activities report about themselves: {@link io.graphsync.activities.metrics.SyncMetrics}, a plain
 * listener that worker-app implements with Micrometer (this module stays free of Spring and of a metrics library).
 */
package io.graphsync.activities.metrics;
