package io.graphsync.app.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.dev.PayloadKeyFile;
import io.graphsync.starters.codec.AesGcmPayloadCodec;
import io.graphsync.starters.codec.PayloadKeyException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class PayloadEncryptionConfigurationTest {

  private final PayloadEncryptionConfiguration configuration = new PayloadEncryptionConfiguration();

  @TempDir
  Path dir;

  @Test
  void givenEncryptionEnabledWithoutKeys_whenStarting_itRefusesAndSaysWhatToSet() {
    assertThatThrownBy(() -> configuration.payloadCodec(new PayloadEncryptionProperties(true, List.of(), null, true)))
        .isInstanceOf(PayloadKeyException.class)
        .hasMessageContaining("payload encryption is enabled but no key is configured")
        .hasMessageContaining("GRAPHSYNC_PAYLOAD_KEYS");
  }

  @Test
  void givenAKeyFile_whenStarting_theDataConverterEncryptsWithIt() {
    Path keys = dir.resolve("keys");
    PayloadKeyFile.createIfAbsent(keys, "k1");
    PayloadEncryptionProperties properties = new PayloadEncryptionProperties(true, List.of(keys), null, true);

    AesGcmPayloadCodec codec = configuration.payloadCodec(properties);
    DataConverter converter = configuration.mainDataConverter(codec, properties);

    Payload payload = converter.toPayload("secret value").orElseThrow();
    assertThat(AesGcmPayloadCodec.isEncrypted(payload)).isTrue();
    assertThat(converter.fromPayload(payload, String.class, String.class)).isEqualTo("secret value");
  }

  @Test
  void givenEncryptionDisabled_whenStarting_newPayloadsAreClearAndOlderEncryptedOnesStillRead() {
    Path keys = dir.resolve("keys");
    PayloadKeyFile.createIfAbsent(keys, "k1");
    PayloadEncryptionProperties enabled = new PayloadEncryptionProperties(true, List.of(keys), null, true);
    Payload older = configuration.mainDataConverter(configuration.payloadCodec(enabled), enabled)
        .toPayload("older").orElseThrow();
    PayloadEncryptionProperties disabled = new PayloadEncryptionProperties(false, List.of(keys), null, true);

    DataConverter converter = configuration.mainDataConverter(configuration.payloadCodec(disabled), disabled);

    assertThat(AesGcmPayloadCodec.isEncrypted(converter.toPayload("new").orElseThrow())).isFalse();
    assertThat(converter.fromPayload(older, String.class, String.class)).isEqualTo("older");
    assertThat(configuration.payloadCodec(new PayloadEncryptionProperties(false, List.of(), null, true)).encrypts())
        .isFalse();
  }

  @Test
  void givenTheDefaultApplicationYml_whenNoKeyVariableIsSet_theKeyListIsEmptyNotTheWorkingDirectory() {
    Map<String, String> yml = Map.of(
        "graphsync.security.payload-encryption.key-files", "",
        "graphsync.security.payload-encryption.active-key-id", "");

    PayloadEncryptionProperties properties = bind(yml);

    assertThat(properties.enabled()).isTrue();
    assertThat(properties.keyFiles()).isEmpty();
    assertThat(properties.encodeFailureAttributes()).isTrue();
    assertThatThrownBy(() -> configuration.payloadCodec(properties)).isInstanceOf(PayloadKeyException.class);
  }

  @Test
  void givenSeveralKeyFilesInOneVariable_whenBound_eachIsAPath() {
    PayloadEncryptionProperties properties = bind(Map.of(
        "graphsync.security.payload-encryption.key-files", "/run/secrets/old,/run/secrets/new",
        "graphsync.security.payload-encryption.active-key-id", "2026-06"));

    assertThat(properties.keyFiles()).containsExactly(Path.of("/run/secrets/old"), Path.of("/run/secrets/new"));
    assertThat(properties.activeKeyId()).isEqualTo("2026-06");
  }

  @Test
  void givenAKeyProblem_whenTheApplicationFailsToStart_theReportSaysWhatToSet() {
    var analysis = new PayloadKeyFailureAnalyzer().analyze(new IllegalStateException("wrapped",
        new PayloadKeyException("several payload keys are configured [a, b]")));

    assertThat(analysis.getDescription()).contains("several payload keys are configured [a, b]");
    assertThat(analysis.getAction()).contains("GRAPHSYNC_PAYLOAD_KEYS").contains("GRAPHSYNC_PAYLOAD_ACTIVE_KEY");
  }

  private static PayloadEncryptionProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("graphsync.security.payload-encryption", PayloadEncryptionProperties.class);
  }
}
