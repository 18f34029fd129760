package io.graphsync.starters.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts every payload graphsync puts into Temporal with AES-256-GCM, and decrypts them again.
 *
 * <p>An encrypted payload has the metadata {@code encoding=binary/encrypted} and
 * {@code encryption-key-id=<id>}; its data is a fresh random 96-bit nonce followed by the ciphertext and the 128-bit
 * authentication tag of the whole original payload (metadata and data, serialised as protobuf). The key id and the
 * encoding are the associated data, so a payload whose metadata was altered does not decrypt either.
 *
 * <p>{@link #decode} decrypts with whichever configured key the payload names, so payloads written under an older
 * key still read after rotation; a payload whose key is not configured fails with a {@link PayloadCodecException}
 * that names the key id. Payloads that are not encrypted (written before encryption was enabled, or by a client
 * without the codec, e.g. a {@code temporal workflow signal --input}) pass through unchanged.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {

  /** The encoding of an encrypted payload. */
  public static final String ENCODING = "binary/encrypted";

  /** The metadata key that names the key a payload was encrypted with. */
  public static final String KEY_ID_METADATA = "encryption-key-id";

  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final ByteString ENCODING_BYTES = ByteString.copyFromUtf8(ENCODING);

  private final PayloadKeys keys;
  private final SecureRandom random = new SecureRandom();

  public AesGcmPayloadCodec(PayloadKeys keys) {
    this.keys = keys;
  }

  public PayloadKeys keys() {
    return keys;
  }

  /** Whether {@link #encode} encrypts (an active key is configured) or passes payloads through (decrypt only). */
  public boolean encrypts() {
    return keys.activeKeyId().isPresent();
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    if (!encrypts()) {
      return payloads;
    }
    String keyId = keys.activeKeyId().orElseThrow();
    SecretKey key = keys.key(keyId).orElseThrow();
    return payloads.stream().map(payload -> encrypt(payload, keyId, key)).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  /** Whether this payload carries the encrypted encoding. */
  public static boolean isEncrypted(Payload payload) {
    return ENCODING_BYTES.equals(payload.getMetadataOrDefault(EncodingKeys.METADATA_ENCODING_KEY, ByteString.EMPTY));
  }

  private Payload encrypt(Payload payload, String keyId, SecretKey key) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(keyId));
      byte[] plaintext = payload.toByteArray();
      ByteBuffer data = ByteBuffer.allocate(NONCE_BYTES + cipher.getOutputSize(plaintext.length));
      data.put(nonce);
      cipher.doFinal(ByteBuffer.wrap(plaintext), data);
      data.flip();
      return Payload.newBuilder()
          .putMetadata(EncodingKeys.METADATA_ENCODING_KEY, ENCODING_BYTES)
          .putMetadata(KEY_ID_METADATA, ByteString.copyFromUtf8(keyId))
          .setData(ByteString.copyFrom(data))
          .build();
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException("cannot encrypt a payload with key '" + keyId + "': " + e.getMessage(), e);
    }
  }

  private Payload decrypt(Payload payload) {
    if (!isEncrypted(payload)) {
      return payload;
    }
    ByteString keyIdBytes = payload.getMetadataOrDefault(KEY_ID_METADATA, null);
    if (keyIdBytes == null) {
      throw new PayloadCodecException("an encrypted payload has no " + KEY_ID_METADATA + " metadata");
    }
    String keyId = keyIdBytes.toStringUtf8();
    SecretKey key = keys.key(keyId).orElseThrow(() -> new PayloadCodecException("a payload is encrypted with key '"
        + keyId + "', which is not configured here (configured: " + keys.keys().keySet() + "): add that key to "
        + "graphsync.security.payload-encryption.key-files; keys are never deleted while histories use them"));
    ByteString data = payload.getData();
    if (data.size() < NONCE_BYTES + TAG_BITS / 8) {
      throw new PayloadCodecException("an encrypted payload (key '" + keyId + "') is too short to be one");
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data.substring(0, NONCE_BYTES)
          .toByteArray()));
      cipher.updateAAD(associatedData(keyId));
      byte[] plaintext = cipher.doFinal(data.substring(NONCE_BYTES).toByteArray());
      return Payload.parseFrom(plaintext);
    } catch (AEADBadTagException e) {
      throw new PayloadCodecException("an encrypted payload does not authenticate under key '" + keyId
          + "': it was altered, or that key id names a different key than the one it was written with", e);
    } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
      throw new PayloadCodecException("cannot decrypt a payload with key '" + keyId + "': " + e.getMessage(), e);
    }
  }

  private static byte[] associatedData(String keyId) {
    return (ENCODING + "\n" + keyId).getBytes(StandardCharsets.UTF_8);
  }
}
