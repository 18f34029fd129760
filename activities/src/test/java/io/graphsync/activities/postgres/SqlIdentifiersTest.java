package io.graphsync.activities.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlIdentifiersTest {

  @Test
  void givenPlainName_whenQuoted_itIsDoubleQuoted() {
    assertThat(SqlIdentifiers.quote("concepts")).isEqualTo("\"concepts\"");
  }

  @Test
  void givenMixedCaseName_whenQuoted_itKeepsItsCase() {
    assertThat(SqlIdentifiers.quote("CreatedAt")).isEqualTo("\"CreatedAt\"");
  }

  @Test
  void givenEmbeddedQuotes_whenQuoted_eachIsDoubled() {
    assertThat(SqlIdentifiers.quote("a\"b")).isEqualTo("\"a\"\"b\"");
    assertThat(SqlIdentifiers.quote("\"")).isEqualTo("\"\"\"\"");
    assertThat(SqlIdentifiers.quote("x\"; DROP TABLE t; --")).isEqualTo("\"x\"\"; DROP TABLE t; --\"");
  }

  @Test
  void givenReservedWordOrSpaces_whenQuoted_itIsOneIdentifier() {
    assertThat(SqlIdentifiers.quote("order")).isEqualTo("\"order\"");
    assertThat(SqlIdentifiers.quote("my column")).isEqualTo("\"my column\"");
  }

  @Test
  void givenSchemaQualifiedTable_whenQualified_eachPartIsQuoted() {
    assertThat(SqlIdentifiers.qualified("Sales.Orders")).isEqualTo("\"Sales\".\"Orders\"");
  }

  @Test
  void givenBareTable_whenQualified_itIsQuotedAlone() {
    assertThat(SqlIdentifiers.qualified("concepts")).isEqualTo("\"concepts\"");
  }

  @Test
  void givenQuotesAndFurtherDots_whenQualified_theFirstDotSplitsSchemaFromTable() {
    assertThat(SqlIdentifiers.qualified("s\"x.t.y\"z")).isEqualTo("\"s\"\"x\".\"t.y\"\"z\"");
  }

  @Test
  void givenNull_whenQuoted_itIsRefused() {
    assertThatThrownBy(() -> SqlIdentifiers.quote(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlIdentifiers.qualified(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
