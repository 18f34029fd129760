/**
 * Retention of graphsync's own records: its activity and its Temporal Schedule ({@code graphsync.retention.*}).
 */
package io.graphsync.app.retention;
