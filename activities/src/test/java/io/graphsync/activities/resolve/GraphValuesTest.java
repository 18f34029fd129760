package io.graphsync.activities.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Node values back to PostgreSQL input text: the inverse of the graph writer's conversions. */
class GraphValuesTest {

  @Test
  void givenScalars_whenWritten_theyArePostgresInputText() {
    assertThat(GraphValues.text(null)).isNull();
    assertThat(GraphValues.text("graph theory")).isEqualTo("graph theory");
    assertThat(GraphValues.text(42L)).isEqualTo("42");
    assertThat(GraphValues.text(12.5)).isEqualTo("12.5");
    assertThat(GraphValues.text(1.0E-7)).isEqualTo("1.0E-7");
    assertThat(GraphValues.text(Double.NaN)).isEqualTo("NaN");
    assertThat(GraphValues.text(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    assertThat(GraphValues.text(true)).isEqualTo("true");
    assertThat(GraphValues.text(LocalDate.of(2024, 2, 29))).isEqualTo("2024-02-29");
    assertThat(GraphValues.text(LocalDateTime.of(2024, 2, 29, 13, 45))).isEqualTo("2024-02-29T13:45:00");
  }

  @Test
  void givenDateTimes_whenWritten_theyCarryTheirOffsetNeverARegionName() {
    assertThat(GraphValues.text(OffsetDateTime.parse("2024-02-29T11:45:00.5Z"))).isEqualTo("2024-02-29T11:45:00.5Z");
    assertThat(GraphValues.text(ZonedDateTime.of(2024, 7, 1, 12, 0, 0, 0, ZoneId.of("Europe/Berlin"))))
        .isEqualTo("2024-07-01T12:00:00+02:00");
  }

  @Test
  void givenLists_whenWritten_theyAreArraysOfText() {
    assertThat(GraphValues.array(List.of("graph", "sync"))).containsExactly("graph", "sync");
    assertThat(GraphValues.array(List.of(1L, 2L))).containsExactly("1", "2");
    assertThat(GraphValues.array(List.of())).isEmpty();
    assertThat(GraphValues.array(null)).isNull();
  }

  @Test
  void givenValuesGraphsyncNeverWrites_whenWritten_theyAreRefused() {
    assertThatThrownBy(() -> GraphValues.text(Map.of("a", 1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GraphValues.array("not a list")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GraphValues.array(List.of(List.of(1L)))).hasMessageContaining("nested");
  }
}
