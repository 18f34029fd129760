package io.graphsync.starters.codec;

import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import java.util.List;

/**
 * The one way graphsync's clients and workers serialise payloads: Temporal's default converter (JSON for records),
 * then the payload codec. Every {@code WorkflowClient} and {@code ScheduleClient} of graphsync is
 * built with {@link #dataConverter}; a worker uses its client's.
 */
public final class PayloadEncryption {

  private PayloadEncryption() {}

  /**
   * @param codec the payload codec ({@link AesGcmPayloadCodec})
   * @param encodeFailureAttributes also move failure messages and stack traces into an encoded payload (they may
   *     quote row values); the Web UI and CLI then show them only through the codec server
   */
  public static DataConverter dataConverter(PayloadCodec codec, boolean encodeFailureAttributes) {
    return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codec),
        encodeFailureAttributes);
  }
}
