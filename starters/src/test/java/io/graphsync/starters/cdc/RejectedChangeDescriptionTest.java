package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class RejectedChangeDescriptionTest {

  @Test
  void givenARejectedChange_whenDescribed_itNamesKeyOperationAndPositionButNoRowValue() {
    SourceRecord record = ChangeRecords.update(ChangeRecords.contentItem(1, "SUCCESS", "secret title"),
        ChangeRecords.contentItem(2, "PENDING", "another secret"), 4711L);

    String description = PostgresRejectedChanges.describe(record);

    assertThat(description).contains("key=" + record.key(), "op=u", "lsn=4711", "txId=" + ChangeRecords.TX_ID)
        .doesNotContain("secret", "a long body");
  }

  @Test
  void givenAMalformedRecordWithoutKey_whenDescribed_itStillNamesThePosition() {
    String description = PostgresRejectedChanges.describe(ChangeRecords.withoutKey(99L));

    assertThat(description).contains("key=", "op=c", "lsn=99").doesNotContain("no id");
  }
}
