/**
 * Reads from the source database what a change event left out: {@link io.graphsync.activities.source.SourceRowReader}
 * re-reads one row of a mapped table by its key, in exactly the representation the capture gives
 * {@code ChangeEvent.data}, for changes whose data was omitted (over the capture's payload size limit, or an
 * operator's retry that asks for the row as it is now).
 */
package io.graphsync.activities.source;
