package io.graphsync.app.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.List;

/**
 * A stand-in for graphsync's encrypting codec in the codec-server tests: it hides each payload (its protobuf bytes,
 * every byte flipped) under its own encoding, so a value is not readable in the history, and only this codec reads it
 * back. Not encryption; a test fixture.
 */
public final class ObscuringCodec implements PayloadCodec {

  public static final ByteString ENCODING = ByteString.copyFromUtf8("binary/graphsync-test-obscured");

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(payload -> Payload.newBuilder().putMetadata("encoding", ENCODING)
        .setData(ByteString.copyFrom(flip(payload.toByteArray()))).build()).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(payload -> {
      if (!ENCODING.equals(payload.getMetadataOrDefault("encoding", ByteString.EMPTY))) {
        return payload;
      }
      try {
        return Payload.parseFrom(flip(payload.getData().toByteArray()));
      } catch (InvalidProtocolBufferException e) {
        throw new PayloadCodecException(e);
      }
    }).toList();
  }

  private static byte[] flip(byte[] bytes) {
    byte[] flipped = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      flipped[i] = (byte) ~bytes[i];
    }
    return flipped;
  }
}
