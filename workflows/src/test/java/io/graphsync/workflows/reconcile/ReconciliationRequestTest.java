package io.graphsync.workflows.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The request as the {@code temporal} CLI sends it ({@code --input '<json>'}), decoded by Temporal's converter. */
class ReconciliationRequestTest {

  static ReconciliationRequest decode(String json) {
    Payload payload = Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))
        .build();
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, ReconciliationRequest.class,
        ReconciliationRequest.class);
  }

  @Test
  void givenTheDocumentedCliInput_whenDecoded_itKeepsScopeAndOverridesAndFillsTheRest() {
    ReconciliationRequest request = decode("""
        {"tables":["users"],"tenantId":"7d01aa2b-0000-4000-8000-000000000001","pageSize":200,"grace":"PT10S",
         "repair":{"orphans":false}}""").withDefaults(ReconciliationPolicy.DEFAULT);

    assertThat(request.tables()).containsExactly("users");
    assertThat(request.tenantId()).isEqualTo("7d01aa2b-0000-4000-8000-000000000001");
    assertThat(request.pageSize()).isEqualTo(200);
    assertThat(request.grace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(request.maxPagesPerRun()).isEqualTo(ReconciliationPolicy.DEFAULT.maxPagesPerRun());
    assertThat(request.repair().orphans()).isFalse();
    assertThat(request.repair().missing()).isNull();
    assertThat(request.continuation()).isNull();
  }

  @Test
  void givenAnEmptyObject_whenDecoded_itReconcilesEverythingWithTheWorkersDefaults() {
    ReconciliationRequest request = decode("{}").withDefaults(ReconciliationPolicy.DEFAULT);

    assertThat(request.tables()).isEmpty();
    assertThat(request.tenantId()).isNull();
    assertThat(request.pageSize()).isEqualTo(500);
    assertThat(request.grace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(request.repair()).isEqualTo(RepairPolicy.DEFAULT);
    assertThat(Optional.ofNullable(request.continuation())).isEmpty();
  }
}
