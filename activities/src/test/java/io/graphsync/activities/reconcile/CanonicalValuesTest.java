package io.graphsync.activities.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Canonical values and hashes: what the row side's conversions and the driver's reads must agree on. */
class CanonicalValuesTest {

  @Test
  void givenTheSameValueAsConvertedAndAsReadBack_whenCanonical_itIsEqual() {
    OffsetDateTime written = OffsetDateTime.parse("2026-01-02T02:04:05.123456Z");
    ZonedDateTime read = ZonedDateTime.of(2026, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.ofHours(1));

    assertThat(CanonicalValues.canonical(written)).isEqualTo(CanonicalValues.canonical(read));
    assertThat(CanonicalValues.canonical(Integer.valueOf(7))).isEqualTo(CanonicalValues.canonical(7L));
    assertThat(CanonicalValues.canonical(List.of("a", "b"))).isEqualTo(CanonicalValues.canonical(List.of("a", "b")));
  }

  @Test
  void givenValuesOfDifferentKinds_whenCanonical_theyNeverCollide() {
    assertThat(CanonicalValues.canonical(7L)).isNotEqualTo(CanonicalValues.canonical("7"));
    assertThat(CanonicalValues.canonical(7L)).isNotEqualTo(CanonicalValues.canonical(7.0));
    assertThat(CanonicalValues.canonical(true)).isNotEqualTo(CanonicalValues.canonical("true"));
    assertThat(CanonicalValues.canonical(LocalDate.parse("2026-01-02"))).isNotEqualTo(CanonicalValues.canonical(
        "2026-01-02"));
    assertThat(CanonicalValues.canonical(List.of("a,b"))).isNotEqualTo(CanonicalValues.canonical(List.of("a", "b")));
    assertThat(CanonicalValues.canonical(ZonedDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneId.of("Europe/Paris"))))
        .isNotEqualTo(CanonicalValues.canonical(OffsetDateTime.parse("2026-01-02T02:04:05Z")));
  }

  @Test
  void givenTwoEntities_whenHashed_onlyTheMappedNonNullValuesCountAndOrderDoesNot() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("email", "a@example.org");
    row.put("displayName", null);
    row.put("roles", List.of("reader"));
    Map<String, Object> node = new HashMap<>(Map.of("roles", List.of("reader"), "email", "a@example.org",
        "syncPosition", 42L, "lastSyncedAt", "not mapped"));
    List<String> mapped = List.of("email", "displayName", "roles");

    String rowHash = CanonicalValues.hash(CanonicalValues.canonical(row, mapped));
    String nodeHash = CanonicalValues.hash(CanonicalValues.canonical(node, mapped));
    node.put("displayName", "set in the graph");

    assertThat(rowHash).isEqualTo(nodeHash).hasSize(32);
    assertThat(CanonicalValues.hash(CanonicalValues.canonical(node, mapped))).isNotEqualTo(rowHash);
  }

  @Test
  void givenLongTextAndSpecialNumbers_whenMadeFriendly_theyAreShortenedAndJsonSafe() {
    Object friendly = CanonicalValues.friendly("x".repeat(2_000));

    assertThat((String) friendly).hasSize(CanonicalValues.MAX_TEXT + "…(2000 chars)".length())
        .endsWith("…(2000 chars)");
    assertThat(CanonicalValues.friendly(Double.NaN)).isEqualTo("NaN");
    assertThat(CanonicalValues.friendly(ZonedDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC)))
        .isEqualTo("2026-01-02T03:04:05Z");
    assertThat(CanonicalValues.friendly(3)).isEqualTo(3L);
  }

  @Test
  void givenByteArrays_whenCanonicalOrFriendly_theyAreComparedByContentAndShownAsHex() {
    assertThat(CanonicalValues.canonical(new byte[] {1, 2})).isEqualTo(CanonicalValues.canonical(new byte[] {1, 2}))
        .isNotEqualTo(CanonicalValues.canonical("0102"));
    assertThat(CanonicalValues.friendly(new byte[] {1, (byte) 0xff})).isEqualTo("01ff");
  }
}
