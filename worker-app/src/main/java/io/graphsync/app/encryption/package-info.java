/**
 * Payload encryption of everything worker-app puts into Temporal: the codec, the {@code DataConverter} the Temporal
 * client and workers use, and the failure report of a missing key ({@code graphsync.security.payload-encryption.*}).
 */
package io.graphsync.app.encryption;
