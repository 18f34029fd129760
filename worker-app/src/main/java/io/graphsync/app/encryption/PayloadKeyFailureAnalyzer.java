package io.graphsync.app.encryption;

import io.graphsync.starters.codec.PayloadKeyException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing or malformed payload key into Spring Boot's short "APPLICATION FAILED TO START" report. */
class PayloadKeyFailureAnalyzer extends AbstractFailureAnalyzer<PayloadKeyException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, PayloadKeyException cause) {
    return new FailureAnalysis("graphsync cannot encrypt Temporal payloads: " + cause.getMessage(),
        "Give worker-app its payload keys: GRAPHSYNC_PAYLOAD_KEYS (graphsync.security.payload-encryption.key-files) "
            + "names key files (<key-id>=<base64 of 32 random bytes> per line) or key directories, and "
            + "GRAPHSYNC_PAYLOAD_ACTIVE_KEY the key to encrypt with when there are several; see docs/security.md.",
        cause);
  }
}
