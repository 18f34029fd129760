package io.graphsync.starters.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.dev.PayloadKeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadKeysTest {

  @TempDir
  Path dir;

  private Path file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void givenAKeyFileWithOneKey_whenLoaded_thatKeyIsActive() throws Exception {
    Path file = file("keys", "# graphsync payload keys\n\nlocal-1=" + PayloadKeys.newKeyBase64() + "\n");

    PayloadKeys keys = PayloadKeys.load(List.of(file), null, true);

    assertThat(keys.keys()).containsOnlyKeys("local-1");
    assertThat(keys.activeKeyId()).contains("local-1");
    assertThat(keys.toString()).isEqualTo("PayloadKeys[local-1] active local-1");
  }

  @Test
  void givenSeveralKeys_whenNoActiveKeyIsNamed_itRefusesWithTheKeyIds() throws Exception {
    Path file = file("keys", "a=" + PayloadKeys.newKeyBase64() + "\nb=" + PayloadKeys.newKeyBase64() + "\n");

    assertThatThrownBy(() -> PayloadKeys.load(List.of(file), " ", true))
        .isInstanceOf(PayloadKeyException.class)
        .hasMessageContaining("several payload keys are configured [a, b]")
        .hasMessageContaining("active-key-id");
    assertThat(PayloadKeys.load(List.of(file), "b", true).activeKeyId()).contains("b");
    assertThat(PayloadKeys.load(List.of(file), null, false).activeKeyId()).isEmpty();
  }

  @Test
  void givenADirectoryOfKeys_whenLoaded_eachFileIsAKeyNamedByItsFileNameAndHiddenFilesAreIgnored() throws Exception {
    Path secret = Files.createDirectories(dir.resolve("secret"));
    Files.writeString(secret.resolve("2026-01"), PayloadKeys.newKeyBase64() + "\n");
    Files.writeString(secret.resolve("2026-06"), PayloadKeys.newKeyBase64());
    Files.createDirectories(secret.resolve("..data"));
    Files.writeString(secret.resolve(".hidden"), "not a key");

    PayloadKeys keys = PayloadKeys.load(List.of(secret), "2026-06", true);

    assertThat(keys.keys()).containsOnlyKeys("2026-01", "2026-06");
    assertThat(keys.activeKeyId()).contains("2026-06");
  }

  @Test
  void givenAnActiveKeyThatIsNotConfigured_whenLoaded_itRefuses() throws Exception {
    Path file = file("keys", "a=" + PayloadKeys.newKeyBase64() + "\n");

    assertThatThrownBy(() -> PayloadKeys.load(List.of(file), "b", true))
        .isInstanceOf(PayloadKeyException.class)
        .hasMessageContaining("the active payload key 'b' is not among the configured keys [a]");
  }

  @Test
  void givenMalformedKeys_whenLoaded_itSaysWhereWithoutPrintingTheKey() throws Exception {
    String shortKey = java.util.Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> PayloadKeys.load(List.of(file("short", "a=" + shortKey + "\n")), null, true))
        .isInstanceOf(PayloadKeyException.class)
        .hasMessageContaining("short line 1: key 'a' has 16 bytes; AES-256 needs 32")
        .hasMessageNotContaining(shortKey);
    assertThatThrownBy(() -> PayloadKeys.load(List.of(file("b64", "a=not base64!\n")), null, true))
        .hasMessageContaining("b64 line 1: key 'a' is not valid base64");
    // a bare key: its padding '=' ends it; with neither '+' nor '/' in it, what precedes the '=' looks like a key id
    String bare = java.util.Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'k');
    assertThatThrownBy(() -> PayloadKeys.load(List.of(file("noid", "\n" + bare)), null, true))
        .hasMessageContaining("noid line 2: expected <key-id>=<base64 key>")
        .hasMessageNotContaining(bare.substring(0, 10));
    String random = PayloadKeys.newKeyBase64();
    assertThatThrownBy(() -> PayloadKeys.load(List.of(file("noid2", random)), null, true))
        .hasMessageContaining("noid2 line 1: expected <key-id>=<base64 key>")
        .hasMessageNotContaining(random.substring(0, 10));
    assertThatThrownBy(() -> PayloadKeys.load(List.of(file("id", "a b=" + PayloadKeys.newKeyBase64())), null, true))
        .hasMessageContaining("id line 1: expected <key-id>=<base64 key>, the key id 1-64 characters");
    String key = PayloadKeys.newKeyBase64();
    assertThatThrownBy(() -> PayloadKeys.load(List.of(file("twice", "a=" + key + "\na=" + key)), null, true))
        .hasMessageContaining("twice line 2: key id 'a' is configured more than once");
  }

  @Test
  void givenNoKeysOrAMissingFile_whenEncrypting_itRefuses() throws Exception {
    assertThatThrownBy(() -> PayloadKeys.load(List.of(), null, true))
        .isInstanceOf(PayloadKeyException.class)
        .hasMessageContaining("payload encryption is enabled but no key is configured");
    assertThatThrownBy(() -> PayloadKeys.load(List.of(dir.resolve("missing")), null, true))
        .isInstanceOf(PayloadKeyException.class)
        .hasMessageContaining("missing does not exist");
  }

  @Test
  void givenTheLocalStacksGeneratedKeyFile_whenLoaded_itIsOneOwnerOnlyKey() throws Exception {
    Path file = dir.resolve("secrets/payload-keys");

    assertThat(PayloadKeyFile.createIfAbsent(file)).isTrue();
    assertThat(PayloadKeyFile.createIfAbsent(file)).as("never overwritten").isFalse();

    PayloadKeys keys = PayloadKeys.load(List.of(file), null, true);
    assertThat(keys.keys()).hasSize(1);
    assertThat(keys.activeKeyId()).hasValueSatisfying(id -> assertThat(id).matches("local-\\d{8}"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }
}
