package io.graphsync.app.encryption;

import io.graphsync.starters.codec.AesGcmPayloadCodec;
import io.graphsync.starters.codec.PayloadEncryption;
import io.graphsync.starters.codec.PayloadKeyException;
import io.graphsync.starters.codec.PayloadKeys;
import io.temporal.common.converter.DataConverter;
import io.temporal.payload.codec.PayloadCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Payload encryption on every Temporal client and worker of worker-app: temporal-spring-boot-starter builds its
 * {@code WorkflowClient} (hence the workers, the capture's starts, the REST endpoints' starts and signals) with the
 * {@code DataConverter} bean named {@code mainDataConverter}; {@code ReconciliationConfiguration}'s
 * {@code ScheduleClient} takes the client's. The {@link PayloadCodec} bean is the codec itself, for a codec server.
 *
 * <p>Encryption enabled without a key is refused at start: graphsync never falls back to clear payloads silently.
 */
@Configuration(proxyBeanMethods = false)
class PayloadEncryptionConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(PayloadEncryptionConfiguration.class);

  /**
   * The codec; {@code @Primary} because the {@code CodecDataConverter} below is a {@code PayloadCodec} too, and
   * whoever asks for the codec means this one.
   */
  @Bean
  @Primary
  AesGcmPayloadCodec payloadCodec(PayloadEncryptionProperties properties) {
    if (properties.enabled() && properties.keyFiles().isEmpty()) {
      throw new PayloadKeyException("payload encryption is enabled but no key is configured: set "
          + "GRAPHSYNC_PAYLOAD_KEYS (graphsync.security.payload-encryption.key-files) to a key file or directory "
          + "(temporal-dev/bin/run generates one for the local stack; see docs/security.md), or set "
          + "graphsync.security.payload-encryption.enabled=false to put payloads into Temporal in clear");
    }
    PayloadKeys keys = PayloadKeys.load(properties.keyFiles(), properties.activeKeyId(), properties.enabled());
    if (properties.enabled()) {
      LOG.info("payload encryption: AES-256-GCM with key '{}' ({} key(s) configured: {})",
          keys.activeKeyId().orElseThrow(), keys.keys().size(), keys.keys().keySet());
    } else {
      LOG.warn("payload encryption is DISABLED: new payloads go into Temporal in clear ({} key(s) configured for "
          + "reading older ones)", keys.keys().size());
    }
    return new AesGcmPayloadCodec(keys);
  }

  /** The name temporal-spring-boot-starter looks for first. */
  @Bean
  DataConverter mainDataConverter(AesGcmPayloadCodec payloadCodec, PayloadEncryptionProperties properties) {
    return PayloadEncryption.dataConverter(payloadCodec,
        properties.enabled() && properties.encodeFailureAttributes());
  }
}
