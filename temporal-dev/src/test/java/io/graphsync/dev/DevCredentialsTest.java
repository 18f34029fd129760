package io.graphsync.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCredentialsTest {

  @TempDir
  Path dir;

  @Test
  void givenNoFile_whenEnsured_itGeneratesOwnerOnlyRandomPasswordsOnceAndPrintsThem() throws Exception {
    Path file = dir.resolve("data").resolve(DevCredentials.FILE);

    List<String> printed = DevCredentials.ensure(file);
    String text = Files.readString(file);

    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(text).containsPattern("GRAPHSYNC_OPERATOR_PASSWORD=\\{noop}[A-Za-z0-9]{24}\n")
        .containsPattern("GRAPHSYNC_VIEWER_PASSWORD=\\{noop}[A-Za-z0-9]{24}\n");
    String operator = text.replaceAll("(?s).*GRAPHSYNC_OPERATOR_PASSWORD=\\{noop}(\\S+).*", "$1");
    assertThat(String.join("\n", printed)).contains("operator / " + operator).contains("viewer / ")
        .doesNotContain("{noop}");

    assertThat(DevCredentials.ensure(file)).as("the second run keeps them").isEqualTo(printed);
    assertThat(Files.readString(file)).isEqualTo(text);
    assertThat(DevCredentials.ensure(dir.resolve("other").resolve(DevCredentials.FILE)))
        .as("another clone gets others").isNotEqualTo(printed);
  }

  @Test
  void givenACodecEndpoint_theDevServerStartsItsWebUiWithIt() {
    TemporalDevServer.Settings settings = new TemporalDevServer.Settings(Path.of("temporal"), 7233, 8233, 7243, 7244,
        Optional.empty(), dir.resolve("temporal.log"), "default");

    assertThat(new TemporalDevServer(settings, "http://127.0.0.1:8080/codec").command())
        .containsSubsequence("--ui-codec-endpoint", "http://127.0.0.1:8080/codec");
    assertThat(new TemporalDevServer(settings).command()).doesNotContain("--ui-codec-endpoint");
  }
}
