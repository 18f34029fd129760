package io.graphsync.activities.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Keys from the graph are checked against the key column's catalog type before anything is bound. */
class SqlKeyColumnTest {

  private static final Sql.KeyColumn UUID = new Sql.KeyColumn("id", "uuid");
  private static final Sql.KeyColumn BIGINT = new Sql.KeyColumn("id", "bigint");
  private static final Sql.KeyColumn INTEGER = new Sql.KeyColumn("id", "integer");
  private static final Sql.KeyColumn TEXT = new Sql.KeyColumn("code", "character varying(8)");

  @Test
  void givenGraphIds_whenCheckedAgainstAUuidKey_onlyLowerCaseUuidsAreKeys() {
    assertThat(UUID.problem("7d01aa2b-4c1e-4a8e-9b7f-2f0c3d5e6a71")).isNull();
    assertThat(UUID.problem("orphan-1")).isEqualTo("not a uuid in its text form");
    assertThat(UUID.problem("7D01AA2B-4C1E-4A8E-9B7F-2F0C3D5E6A71")).as("PostgreSQL's text is lower case").isNotNull();
    assertThat(UUID.problem("{7d01aa2b-4c1e-4a8e-9b7f-2f0c3d5e6a71}")).isNotNull();
  }

  @Test
  void givenGraphIds_whenCheckedAgainstIntegerKeys_onlyCanonicalIntegersInRangeAreKeys() {
    assertThat(BIGINT.problem("-9223372036854775808")).isNull();
    assertThat(BIGINT.problem("0")).isNull();
    assertThat(BIGINT.problem("9223372036854775808")).isEqualTo("out of the range of bigint");
    assertThat(BIGINT.problem("99999999999999999999999999")).isEqualTo("out of the range of bigint");
    assertThat(INTEGER.problem("2147483648")).isEqualTo("out of the range of integer");
    for (String id : new String[] {"twelve", "007", "-0", "+1", "1.5", " 1", ""}) {
      assertThat(BIGINT.problem(id)).as(id).isEqualTo("not an integer in its text form");
    }
  }

  @Test
  void givenTextKeys_whenCheckedAndBound_anyTextButNulIsAKeyAndIsComparedAsText() {
    assertThat(TEXT.problem("anything | at all")).isNull();
    assertThat(TEXT.problem("a\u0000b")).isEqualTo("contains a NUL character");
    assertThat(TEXT.in()).isEqualTo("\"code\" = ANY(CAST(? AS text[]))");
    assertThat(new Sql.KeyColumn("day", "date").in()).isEqualTo("\"day\"::text = ANY(CAST(? AS text[]))");
    assertThat(UUID.in()).isEqualTo("\"id\" = ANY(CAST(? AS uuid[]))");
  }

  @Test
  void givenACursorThatIsNoUuid_whenBound_itIsComparedAsTextInTheSameOrder() {
    Sql.Bound valid = UUID.after("7d01aa2b-4c1e-4a8e-9b7f-2f0c3d5e6a71");
    Sql.Bound invalid = UUID.after("orphan-1");
    Sql.Bound nul = BIGINT.after("12\u00003");

    assertThat(valid).isEqualTo(new Sql.Bound("\"id\"", "CAST(? AS uuid)", "7d01aa2b-4c1e-4a8e-9b7f-2f0c3d5e6a71"));
    assertThat(invalid).isEqualTo(new Sql.Bound("\"id\"::text COLLATE \"C\"", "?", "orphan-1"));
    assertThat(nul.parameter()).isEqualTo("12");
  }
}
