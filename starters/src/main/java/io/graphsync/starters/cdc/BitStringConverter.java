package io.graphsync.starters.cdc;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.postgresql.util.PGobject;

/**
 * Debezium custom converter for {@code bit(n)} and {@code varbit}: the value as PostgreSQL prints it, a text of
 * {@code '0'}/{@code '1'} characters. Debezium's own conversion packs the bits into bytes (a number, little-endian),
 * which drops a varbit's leading zeros and turns {@code bit(1)} into a boolean; pgoutput gives the converter the text
 * itself, so nothing is lost. Registered by {@link DebeziumProperties} as converter {@value #NAME}.
 */
public final class BitStringConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

  /** The converter's name in Debezium's {@code converters} property. */
  static final String NAME = "graphsyncbits";

  /** The schema name of the converted values (informational: the value is a plain string). */
  static final String SCHEMA_NAME = "io.graphsync.BitString";

  private static final Set<String> TYPES = Set.of("bit", "varbit", "bit varying");

  @Override
  public void configure(Properties properties) {
    // nothing to configure
  }

  @Override
  public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
    if (!TYPES.contains(column.typeName())) {
      return;
    }
    registration.register(SchemaBuilder.string().name(SCHEMA_NAME).optional(), BitStringConverter::text);
  }

  /** The bit string's text; from pgoutput it is already text, from JDBC (a snapshot) a PGobject or a boolean. */
  static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof PGobject object) {
      return object.getValue();
    }
    if (value instanceof Boolean bit) {
      return bit ? "1" : "0";
    }
    return value.toString();
  }
}
