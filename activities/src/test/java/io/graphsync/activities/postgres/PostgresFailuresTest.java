package io.graphsync.activities.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresFailuresTest {

  @ParameterizedTest
  @CsvSource({
      "22P02, InvalidData",     // invalid text representation: a key that is no uuid
      "22003, InvalidData",     // numeric value out of range
      "22001, InvalidData",     // string data right truncation
      "23502, InvalidData",     // not-null violation
      "23505, InvalidData",     // unique violation
      "23514, InvalidData",     // check violation
      "42501, PermissionDenied",
      "42703, SchemaChanged",   // undefined column
      "42P01, SchemaChanged"})  // undefined table
  void givenAStateNoRetryHeals_whenMapped_itIsANonRetryableFailureOfItsType(String state, String type) {
    RuntimeException failure = PostgresFailures.failure("writing concepts 42", new SQLException("refused", state));

    assertThat(failure).isInstanceOfSatisfying(ApplicationFailure.class, application -> {
      assertThat(application.getType()).isEqualTo(type);
      assertThat(application.isNonRetryable()).isTrue();
      assertThat(application.getOriginalMessage()).startsWith("writing concepts 42: ").contains(state, "refused");
    });
    assertThat(FailureType.isNonRetryable(type)).isTrue();
    assertThat(PostgresFailures.retryable(new SQLException("refused", state))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "40001",  // serialization failure
      "40P01",  // deadlock detected
      "08006",  // connection failure
      "08001",  // cannot connect now
      "53300",  // too many connections
      "55P03",  // lock not available (lock_timeout)
      "57014",  // query canceled (statement_timeout)
      "57P01",  // admin shutdown
      "42601",  // syntax error: a bug, not data; retried (and visible) as before
      "XX000",  // internal error
      "2",      // not a SQLState
      "22"})
  void givenATransientOrUnknownState_whenMapped_itIsRetried(String state) {
    SQLException cause = new SQLException("went away", state);

    RuntimeException failure = PostgresFailures.failure("reading concepts 42", cause);

    assertThat(failure).isInstanceOf(IllegalStateException.class).hasCause(cause)
        .hasMessageStartingWith("reading concepts 42 failed").hasMessageContaining("went away");
    assertThat(PostgresFailures.typeOf(state)).isNull();
    assertThat(PostgresFailures.retryable(cause)).isTrue();
  }

  @Test
  void givenNoState_whenMapped_itIsRetried() {
    assertThat(PostgresFailures.failure("reading", new SQLException("no state", (String) null)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void givenPermissionDenied_whenMapped_itSaysHowToFixIt() {
    RuntimeException failure = PostgresFailures.failure("updating concepts", new SQLException("denied", "42501"));

    assertThat(((ApplicationFailure) failure).getOriginalMessage())
        .contains("may not do this", "docs/security.md", "graphsync.postgres.runtime-writable-tables");
  }
}
