package io.graphsync.starters.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodecException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

class AesGcmPayloadCodecTest {

  private static final String SECRET = "sapphire-otter-4711";

  private static SecretKey newKey(String id) {
    return PayloadKeys.parseKey(id, PayloadKeys.newKeyBase64(), "test");
  }

  private static PayloadKeys keys(String active, Map<String, SecretKey> keys) {
    return new PayloadKeys(keys, Optional.ofNullable(active));
  }

  private static Payload json(Object value) {
    return DefaultDataConverter.STANDARD_INSTANCE.toPayload(value).orElseThrow();
  }

  private static Payload only(List<Payload> payloads) {
    assertThat(payloads).hasSize(1);
    return payloads.get(0);
  }

  @Test
  void givenAPayload_whenEncodedAndDecoded_itIsTheSamePayloadAndTheEncodedOneHidesIt() {
    SecretKey k1 = newKey("k1");
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(keys("k1", Map.of("k1", k1)));
    Payload plain = json(Map.of("name", SECRET));

    Payload encrypted = only(codec.encode(List.of(plain)));

    assertThat(encrypted.getMetadataOrThrow(EncodingKeys.METADATA_ENCODING_KEY).toStringUtf8())
        .isEqualTo("binary/encrypted");
    assertThat(encrypted.getMetadataOrThrow(AesGcmPayloadCodec.KEY_ID_METADATA).toStringUtf8()).isEqualTo("k1");
    assertThat(encrypted.getMetadataCount()).isEqualTo(2);
    assertThat(encrypted.getData().toStringUtf8()).doesNotContain(SECRET).doesNotContain("json/plain");
    assertThat(AesGcmPayloadCodec.isEncrypted(encrypted)).isTrue();
    assertThat(only(codec.decode(List.of(encrypted)))).isEqualTo(plain);
  }

  @Test
  void givenTheSamePayloadTwice_whenEncoded_itUsesAFreshNonceEachTime() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(keys("k1", Map.of("k1", newKey("k1"))));
    Payload plain = json(SECRET);

    Payload first = only(codec.encode(List.of(plain)));
    Payload second = only(codec.encode(List.of(plain)));

    assertThat(first.getData().substring(0, AesGcmPayloadCodec.NONCE_BYTES))
        .isNotEqualTo(second.getData().substring(0, AesGcmPayloadCodec.NONCE_BYTES));
    assertThat(first.getData()).isNotEqualTo(second.getData());
    assertThat(first.getData().size())
        .isEqualTo(AesGcmPayloadCodec.NONCE_BYTES + plain.toByteArray().length + AesGcmPayloadCodec.TAG_BITS / 8);
  }

  @Test
  void givenAChangeEvent_whenItGoesThroughTheDataConverter_itComesBackEqual() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(keys("k1", Map.of("k1", newKey("k1"))));
    DataConverter converter = PayloadEncryption.dataConverter(codec, true);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", SECRET);
    ChangeEvent event = ChangeEvent.builder(EventSource.POSTGRES, EventType.CREATE).entity("concepts", "Concept", "1")
        .tenantId("t1").correlationId("tx1").timestamp(Instant.parse("2026-01-01T00:00:00Z")).data(data).version(1L)
        .position(1L).build();

    Payloads payloads = converter.toPayloads(event).orElseThrow();

    assertThat(payloads.getPayloads(0).toByteString().toStringUtf8()).doesNotContain(SECRET);
    assertThat(converter.fromPayloads(0, Optional.of(payloads), ChangeEvent.class, ChangeEvent.class))
        .isEqualTo(event);
  }

  @Test
  void givenAnEncryptedPayload_whenOneByteOfItsDataIsFlipped_itFailsToDecode() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(keys("k1", Map.of("k1", newKey("k1"))));
    Payload encrypted = only(codec.encode(List.of(json(SECRET))));
    byte[] data = encrypted.getData().toByteArray();
    data[data.length / 2] ^= 0x01;
    Payload tampered = encrypted.toBuilder().setData(ByteString.copyFrom(data)).build();

    assertThatThrownBy(() -> codec.decode(List.of(tampered)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("does not authenticate under key 'k1'");
  }

  @Test
  void givenAnEncryptedPayload_whenItsKeyIdIsRelabelled_itFailsToDecode() {
    SecretKey k1 = newKey("k1");
    SecretKey k2 = newKey("k2");
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(keys("k1", Map.of("k1", k1, "k2", k2)));
    Payload encrypted = only(codec.encode(List.of(json(SECRET))));
    Payload relabelled = encrypted.toBuilder()
        .putMetadata(AesGcmPayloadCodec.KEY_ID_METADATA, ByteString.copyFromUtf8("k2")).build();

    assertThatThrownBy(() -> codec.decode(List.of(relabelled)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("does not authenticate under key 'k2'");
  }

  @Test
  void givenAPayloadEncryptedWithAnotherKeyUnderTheSameId_whenDecoded_itFails() {
    AesGcmPayloadCodec writer = new AesGcmPayloadCodec(keys("k1", Map.of("k1", newKey("k1"))));
    AesGcmPayloadCodec reader = new AesGcmPayloadCodec(keys("k1", Map.of("k1", newKey("k1"))));
    Payload encrypted = only(writer.encode(List.of(json(SECRET))));

    assertThatThrownBy(() -> reader.decode(List.of(encrypted)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("does not authenticate");
  }

  @Test
  void givenAPayloadEncryptedUnderAnOldKey_whenANewKeyBecameActive_itStillDecodesAndNewPayloadsUseTheNewKey() {
    SecretKey old = newKey("2026-01");
    Payload plain = json(SECRET);
    Payload written = only(new AesGcmPayloadCodec(keys("2026-01", Map.of("2026-01", old))).encode(List.of(plain)));

    Map<String, SecretKey> rotated = new LinkedHashMap<>();
    rotated.put("2026-01", old);
    rotated.put("2026-06", newKey("2026-06"));
    AesGcmPayloadCodec afterRotation = new AesGcmPayloadCodec(keys("2026-06", rotated));

    assertThat(only(afterRotation.decode(List.of(written)))).isEqualTo(plain);
    Payload fresh = only(afterRotation.encode(List.of(plain)));
    assertThat(fresh.getMetadataOrThrow(AesGcmPayloadCodec.KEY_ID_METADATA).toStringUtf8()).isEqualTo("2026-06");
    assertThat(only(afterRotation.decode(List.of(fresh)))).isEqualTo(plain);
  }

  @Test
  void givenAPayloadWhoseKeyIdIsNotConfigured_whenDecoded_itFailsNamingTheKeyId() {
    Payload written = only(new AesGcmPayloadCodec(keys("retired", Map.of("retired", newKey("retired"))))
        .encode(List.of(json(SECRET))));
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(keys("current", Map.of("current", newKey("current"))));

    assertThatThrownBy(() -> codec.decode(List.of(written)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("key 'retired', which is not configured here (configured: [current])");
  }

  @Test
  void givenUnencryptedPayloads_whenDecoded_theyPassThroughUnchanged() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(keys("k1", Map.of("k1", newKey("k1"))));
    List<Payload> plain = List.of(json(SECRET), json(42), DefaultDataConverter.STANDARD_INSTANCE.toPayload(null)
        .orElseThrow(), Payload.getDefaultInstance());

    assertThat(codec.decode(plain)).isEqualTo(plain);
  }

  @Test
  void givenNoActiveKey_whenEncoding_itPassesPayloadsThroughButStillDecrypts() {
    SecretKey k1 = newKey("k1");
    Payload written = only(new AesGcmPayloadCodec(keys("k1", Map.of("k1", k1))).encode(List.of(json(SECRET))));
    AesGcmPayloadCodec decryptOnly = new AesGcmPayloadCodec(keys(null, Map.of("k1", k1)));

    assertThat(decryptOnly.encrypts()).isFalse();
    assertThat(decryptOnly.encode(List.of(json(SECRET)))).containsExactly(json(SECRET));
    assertThat(only(decryptOnly.decode(List.of(written)))).isEqualTo(json(SECRET));
  }

  @Test
  void givenAnEncryptedPayloadWithoutKeyId_whenDecoded_itFailsClearly() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(keys("k1", Map.of("k1", newKey("k1"))));
    Payload encrypted = only(codec.encode(List.of(json(SECRET))));
    Payload noKeyId = encrypted.toBuilder().removeMetadata(AesGcmPayloadCodec.KEY_ID_METADATA).build();

    assertThatThrownBy(() -> codec.decode(List.of(noKeyId)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("no encryption-key-id");
  }
}
