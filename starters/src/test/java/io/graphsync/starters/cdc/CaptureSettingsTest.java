package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CaptureSettingsTest {

  private static CaptureSettings.Builder settings() {
    return CaptureSettings.builder().database("graphsync").user("graphsync").password("secret")
        .mapping(ChangeRecords.MAPPING);
  }

  @Test
  void givenNoPayloadLimit_whenBuilt_itIs256KiB() {
    assertThat(settings().build().maxPayloadBytes()).isEqualTo(262_144);
  }

  @Test
  void givenPayloadLimit_whenBuilt_itIsKept() {
    assertThat(settings().maxPayloadBytes(1024).build().maxPayloadBytes()).isEqualTo(1024);
  }

  @Test
  void givenZeroOrNegativePayloadLimit_whenBuilt_itIsRejected() {
    assertThatThrownBy(() -> settings().maxPayloadBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPayloadBytes");
    assertThatThrownBy(() -> settings().maxPayloadBytes(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPayloadBytes");
  }
}
