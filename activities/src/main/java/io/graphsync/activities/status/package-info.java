/** The sync-status write-back into the source rows. */
package io.graphsync.activities.status;
