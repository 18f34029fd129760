package io.graphsync.app.encryption;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Payload encryption ({@code graphsync.security.payload-encryption.*}): what worker-app's Temporal client, workers
 * and Schedule client encrypt, and with which keys. See docs/security.md.
 *
 * @param enabled encrypt every payload graphsync puts into Temporal (default); false: new payloads go in clear, and
 *     payloads encrypted earlier still decrypt with the configured keys
 * @param keyFiles key files ({@code <key-id>=<base64 of 32 bytes>} per line) or directories (one file per key,
 *     named by its id); environment {@code GRAPHSYNC_PAYLOAD_KEYS}, comma-separated
 * @param activeKeyId the key new payloads are encrypted with; may stay empty when exactly one key is configured
 * @param encodeFailureAttributes also encrypt failure messages and stack traces (they may quote row values)
 */
@ConfigurationProperties("graphsync.security.payload-encryption")
public record PayloadEncryptionProperties(
    @DefaultValue("true") Boolean enabled,
    @DefaultValue List<Path> keyFiles,
    String activeKeyId,
    @DefaultValue("true") boolean encodeFailureAttributes) {

  public PayloadEncryptionProperties {
    // boxed so that an empty GRAPHSYNC_PAYLOAD_ENCRYPTION (application.yml's fallback) means "the default" above
    Objects.requireNonNull(enabled, "enabled");
    // an empty entry (GRAPHSYNC_PAYLOAD_KEYS="" or a trailing comma) is no key file, never the working directory
    keyFiles = keyFiles.stream().filter(path -> !path.toString().isBlank()).toList();
  }
}
