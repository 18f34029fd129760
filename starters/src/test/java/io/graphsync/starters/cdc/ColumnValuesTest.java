package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.workflows.sync.ChangeEvent;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PGobject;

/** The capture's value normalisation for the types whose Debezium form is not JSON-friendly or loses information. */
class ColumnValuesTest {

  @Test
  void givenDebeziumPoint_whenNormalised_itIsXAndYWithoutTheWkb() {
    Schema schema = SchemaBuilder.struct().name("io.debezium.data.geometry.Point")
        .field("x", Schema.FLOAT64_SCHEMA).field("y", Schema.FLOAT64_SCHEMA)
        .field("wkb", Schema.OPTIONAL_BYTES_SCHEMA).field("srid", Schema.OPTIONAL_INT32_SCHEMA).build();
    Struct point = new Struct(schema).put("x", 1.5).put("y", -2.0).put("wkb", ByteBuffer.wrap(new byte[] {1}));

    assertThat(ColumnValues.normalize(schema, point)).isEqualTo(Map.of("x", 1.5, "y", -2.0));
  }

  @Test
  void givenTimetzThatDebeziumConvertedToUtc_whenNormalised_itIsThePlaceholderForTheWriterToFill() {
    Schema schema = SchemaBuilder.string().name("io.debezium.time.ZonedTime").optional().build();

    assertThat(ColumnValues.normalize(schema, "08:00:00Z")).isEqualTo(ChangeEvent.UNAVAILABLE_VALUE);
  }

  @Test
  void givenHstoreMap_whenNormalised_itsKeysAreSortedAndNullValuesKept() {
    Schema schema = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).optional().build();
    Map<String, String> hstore = new LinkedHashMap<>();
    hstore.put("b", "2");
    hstore.put("a", null);

    Object normalized = ColumnValues.normalize(schema, hstore);

    assertThat(normalized).isInstanceOf(Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) normalized;
    assertThat(map.keySet()).containsExactly("a", "b");
    assertThat(map).containsEntry("a", null);
  }

  @Test
  void givenByteaAndArrayWithNullElement_whenNormalised_theyAreBase64AndAListWithTheNull() {
    Schema array = SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build();

    assertThat(ColumnValues.normalize(Schema.OPTIONAL_BYTES_SCHEMA, ByteBuffer.wrap(new byte[] {0, 1, 2, -1})))
        .isEqualTo("AAEC/w==");
    assertThat(ColumnValues.normalize(array, java.util.Arrays.asList("x", null)))
        .isEqualTo(java.util.Arrays.asList("x", null));
  }

  @Test
  void givenBitStrings_whenConverted_theyKeepTheirZerosAndOnesIncludingLeadingZeros() throws Exception {
    PGobject snapshotValue = new PGobject();
    snapshotValue.setType("varbit");
    snapshotValue.setValue("0010");

    assertThat(BitStringConverter.text("0001")).isEqualTo("0001");
    assertThat(BitStringConverter.text(snapshotValue)).isEqualTo("0010");
    assertThat(BitStringConverter.text(Boolean.TRUE)).isEqualTo("1");
    assertThat(BitStringConverter.text(null)).isNull();
  }
}
