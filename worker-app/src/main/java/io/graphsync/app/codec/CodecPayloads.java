package io.graphsync.app.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a codec request and response, as the Web UI and the CLI send it: Temporal's {@code Payloads} in
 * protobuf's JSON form, {@code {"payloads":[{"metadata":{"encoding":"<base64>"},"data":"<base64>"}]}}.
 */
record CodecPayloads(@JsonProperty("payloads") List<Json> payloads) {

  /** One payload: metadata values and data base64-encoded. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Json(@JsonProperty("metadata") Map<String, String> metadata, @JsonProperty("data") String data) {}

  /**
   * The payloads as protobuf.
   *
   * @throws IllegalArgumentException when a value is not base64
   */
  List<Payload> toProto() {
    if (payloads == null) {
      return List.of();
    }
    return payloads.stream().map(json -> {
      Payload.Builder payload = Payload.newBuilder();
      if (json != null) {
        if (json.metadata() != null) {
          json.metadata().forEach((key, value) -> payload.putMetadata(key, bytes(value)));
        }
        payload.setData(bytes(json.data()));
      }
      return payload.build();
    }).toList();
  }

  static CodecPayloads fromProto(List<Payload> payloads) {
    Base64.Encoder base64 = Base64.getEncoder();
    return new CodecPayloads(payloads.stream().map(payload -> {
      Map<String, String> metadata = new LinkedHashMap<>();
      payload.getMetadataMap().forEach((key, value) -> metadata.put(key, base64.encodeToString(value.toByteArray())));
      return new Json(metadata, base64.encodeToString(payload.getData().toByteArray()));
    }).toList());
  }

  private static ByteString bytes(String base64) {
    return base64 == null || base64.isEmpty()
        ? ByteString.EMPTY
        : ByteString.copyFrom(Base64.getDecoder().decode(base64));
  }
}
