package io.graphsync.app.codec;

import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Temporal's remote codec protocol over one {@link PayloadCodec}: {@code POST {path}/decode} and
 * {@code POST {path}/encode} take and return {@link CodecPayloads} JSON. The {@code X-Namespace} header the Web UI
 * sends is logged, not used: graphsync has one codec for every namespace it writes. A body that is not base64 or that
 * the codec cannot decode (e.g. an unknown key id) is a 400 problem detail. Who may call it: the security configuration
 * (docs/security.md); CORS for the Web UI is there too.
 */
final class CodecServer {

  static final String PATH = "/codec";

  private static final Logger log = LoggerFactory.getLogger(CodecServer.class);

  private final PayloadCodec codec;

  CodecServer(PayloadCodec codec) {
    this.codec = codec;
  }

  RouterFunction<ServerResponse> routes() {
    return RouterFunctions.route()
        .POST(PATH + "/decode", request -> convert(request, "decode", codec::decode))
        .POST(PATH + "/encode", request -> convert(request, "encode", codec::encode))
        .build();
  }

  private ServerResponse convert(ServerRequest request, String what, UnaryOperator<List<Payload>> conversion)
      throws Exception {
    CodecPayloads body = request.body(CodecPayloads.class);
    List<Payload> payloads;
    try {
      payloads = body.toProto();
    } catch (IllegalArgumentException e) {
      return problem("not base64: " + e.getMessage());
    }
    List<Payload> converted;
    try {
      converted = conversion.apply(payloads);
    } catch (RuntimeException e) {
      log.warn("codec server: cannot {} {} payload(s) for namespace {}: {}", what, payloads.size(),
          request.headers().firstHeader("X-Namespace"), e.toString());
      return problem("cannot " + what + ": " + e.getMessage());
    }
    log.debug("codec server: {} {} payload(s) for namespace {}", what, payloads.size(),
        request.headers().firstHeader("X-Namespace"));
    return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(CodecPayloads.fromProto(converted));
  }

  private static ServerResponse problem(String detail) {
    return ServerResponse.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail));
  }
}
