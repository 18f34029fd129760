package io.graphsync.app.codec;

import io.temporal.payload.codec.PayloadCodec;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The codec server, only when the application has a {@link PayloadCodec} bean (an auto-configuration, listed in
 * {@code META-INF/spring/…AutoConfiguration.imports}, so the condition sees the beans of every configuration class).
 * Without a codec nothing is encoded, and {@code /codec/**} does not exist.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(PayloadCodec.class)
public class CodecServerAutoConfiguration {

  @Bean
  RouterFunction<ServerResponse> codecServerRoutes(PayloadCodec codec) {
    return new CodecServer(codec).routes();
  }
}
