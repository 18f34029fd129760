package io.graphsync.app.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;

/** The codec server exists exactly when the application has a {@link PayloadCodec} bean. */
class CodecServerAutoConfigurationTest {

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CodecServerAutoConfiguration.class));

  @Configuration(proxyBeanMethods = false)
  static class WithCodec {
    @Bean
    PayloadCodec codec() {
      return new ObscuringCodec();
    }
  }

  @Test
  void givenNoPayloadCodec_itHasNoCodecServer() {
    runner.run(context -> assertThat(context).doesNotHaveBean(RouterFunction.class));
  }

  @Test
  void givenAPayloadCodecBean_itServesTheCodecServer() {
    runner.withUserConfiguration(WithCodec.class)
        .run(context -> assertThat(context).hasSingleBean(RouterFunction.class));
  }

  @Test
  void givenPayloads_theirJsonFormReadsBackToTheSameProtobuf() {
    List<Payload> payloads = List.of(DefaultDataConverter.STANDARD_INSTANCE.toPayload("a value").orElseThrow(),
        Payload.newBuilder().putMetadata("encoding", ObscuringCodec.ENCODING).build());
    assertThat(CodecPayloads.fromProto(payloads).toProto()).isEqualTo(payloads);
  }
}
