package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.temporal.authorization.AuthorizationGrpcMetadataProvider;
import io.temporal.serviceclient.GrpcMetadataProvider;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.spring.boot.autoconfigure.ServiceStubsAutoConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Driver;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.neo4j.autoconfigure.Neo4jAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * TLS settings reach the clients worker-app builds, without a TLS server: Temporal mTLS and API keys through
 * temporal-spring-boot-starter's {@code spring.temporal.connection.*} (the dev server has no TLS options; every
 * other Temporal client of graphsync, e.g. the Schedule client, is built on these same stubs), and Neo4j's
 * {@code neo4j+s} / {@code bolt+s} schemes and {@code spring.neo4j.security.*}.
 */
class TlsWiringTest {

  @TempDir
  static Path dir;
  static Path key;
  static Path cert;

  /** A self-signed client certificate and its PKCS#8 key in PEM, made with the JDK's keytool. */
  @BeforeAll
  static void certificate() throws Exception {
    Path store = dir.resolve("client.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=graphsync-worker",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit",
        "-keypass", "changeit").redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    PrivateKey privateKey = (PrivateKey) ks.getKey("client", "changeit".toCharArray());
    Certificate certificate = ks.getCertificate("client");
    key = pem(dir.resolve("client.key"), "PRIVATE KEY", privateKey.getEncoded());
    cert = pem(dir.resolve("client.crt"), "CERTIFICATE", certificate.getEncoded());
  }

  private static Path pem(Path file, String type, byte[] der) throws IOException {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
  }

  private final ApplicationContextRunner temporal = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ServiceStubsAutoConfiguration.class))
      .withPropertyValues("spring.temporal.connection.target=temporal.example:7233");

  @Test
  void givenMtlsFiles_whenTheStubsAreBuilt_theyConnectWithTlsAndTheClientCertificate() {
    temporal.withPropertyValues(
            "spring.temporal.connection.mtls.key-file=" + key,
            "spring.temporal.connection.mtls.cert-chain-file=" + cert,
            "spring.temporal.connection.mtls.server-name=temporal.example")
        .run(context -> {
          WorkflowServiceStubs stubs = context.getBean(WorkflowServiceStubs.class);
          try {
            assertThat(stubs.getOptions().getSslContext()).isNotNull();
            assertThat(stubs.getOptions().getSslContext().isClient()).isTrue();
            assertThat(stubs.getOptions().getTarget()).isEqualTo("temporal.example:7233");
          } finally {
            stubs.shutdownNow();
            stubs.awaitTermination(5, TimeUnit.SECONDS);
          }
        });
  }

  @Test
  void givenAnApiKey_whenTheStubsAreBuilt_everyCallCarriesItOverTls() {
    temporal.withPropertyValues(
            "spring.temporal.connection.api-key=gs-test-key-0123",
            "spring.temporal.connection.enable-https=true")
        .run(context -> {
          WorkflowServiceStubs stubs = context.getBean(WorkflowServiceStubs.class);
          try {
            assertThat(stubs.getOptions().getEnableHttps()).isTrue();
            List<GrpcMetadataProvider> providers = List.copyOf(stubs.getOptions().getGrpcMetadataProviders());
            assertThat(providers).singleElement().isInstanceOf(AuthorizationGrpcMetadataProvider.class);
            Metadata metadata = providers.get(0).getMetadata();
            assertThat(metadata.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo("Bearer gs-test-key-0123");
          } finally {
            stubs.shutdownNow();
            stubs.awaitTermination(5, TimeUnit.SECONDS);
          }
        });
  }

  private final ApplicationContextRunner neo4j = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(Neo4jAutoConfiguration.class))
      .withPropertyValues("spring.neo4j.authentication.username=neo4j",
          "spring.neo4j.authentication.password=not-a-default-1");

  @Test
  void givenATlsScheme_whenTheDriverIsBuilt_itEncrypts() {
    for (String uri : List.of("neo4j+s://graph.example:7687", "bolt+s://graph.example:7687",
        "neo4j+ssc://graph.example:7687")) {
      neo4j.withPropertyValues("spring.neo4j.uri=" + uri).run(context -> {
        Driver driver = context.getBean(Driver.class);
        assertThat(driver.isEncrypted()).as(uri).isTrue();
      });
    }
  }

  @Test
  void givenAPrivateCa_whenTheDriverIsBuiltWithSecuritySettings_itEncryptsAndTrustsThatCa() {
    neo4j.withPropertyValues("spring.neo4j.uri=bolt://graph.example:7687",
            "spring.neo4j.security.encrypted=true",
            "spring.neo4j.security.trust-strategy=TRUST_CUSTOM_CA_SIGNED_CERTIFICATES",
            "spring.neo4j.security.cert-file=" + cert,
            "spring.neo4j.security.hostname-verification-enabled=true")
        .run(context -> assertThat(context.getBean(Driver.class).isEncrypted()).isTrue());
    neo4j.withPropertyValues("spring.neo4j.uri=bolt://graph.example:7687")
        .run(context -> assertThat(context.getBean(Driver.class).isEncrypted()).isFalse());
  }

}
