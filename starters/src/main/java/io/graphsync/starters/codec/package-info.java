/**
 * Payload encryption for every graphsync client and worker: {@link io.graphsync.starters.codec.AesGcmPayloadCodec}
 * (AES-256-GCM, one random nonce per payload, the key id in the payload's metadata), the keys it uses
 * ({@link io.graphsync.starters.codec.PayloadKeys}, read from key files, never from the repository) and the
 * {@code DataConverter} that applies it ({@link io.graphsync.starters.codec.PayloadEncryption}).
 */
package io.graphsync.starters.codec;
