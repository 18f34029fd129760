package io.graphsync.activities.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RowReadsTest {

  @ParameterizedTest
  @ValueSource(strings = {"20s'; DROP TABLE t; --", "", "20 s", "-1s", "1h"})
  void givenSomethingThatIsNoLockTimeout_whenSet_itIsRefusedBeforeAnySql(String timeout) {
    assertThatThrownBy(() -> RowReads.setLockTimeout(null, timeout)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenTheWalInsertPosition_itIsJustBelowTheInsertPointAsALong() {
    assertThat(RowReads.WAL_INSERT_POSITION)
        .isEqualTo("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint - 1");
  }

  @Test
  void givenALockedRead_whenNoRowWasFound_itIsNotPresent() {
    assertThat(new RowReads.Locked<String>(null, 7L).present()).isEmpty();
    assertThat(new RowReads.Locked<>("row", 7L).present()).contains("row");
  }
}
