package io.graphsync.activities.postgres;

import static io.graphsync.activities.postgres.SqlIdentifiers.qualified;
import static io.graphsync.activities.postgres.SqlIdentifiers.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.activities.postgres.Catalog.ColumnType;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The PostgreSQL layer on a real PostgreSQL: a mixed-case schema and table, a column whose name holds a quote, keys
 * bound untyped, and the SQLStates the server really sends.
 */
@ExtendWith(GraphsyncExtension.class)
class PostgresLayerIT {

  private static final String TABLE = "Layer_IT.Odd\"Table";
  private static final String COLUMN = "Say \"hi\"";

  private static DataSource dataSource;
  private static Sql sql;

  @BeforeAll
  static void createTable(Sql migrated) throws SQLException {
    sql = migrated;
    dataSource = migrated.dataSource();
    migrated.execute("CREATE SCHEMA IF NOT EXISTS \"Layer_IT\"");
    migrated.execute("CREATE TABLE IF NOT EXISTS " + qualified(TABLE) + " (\"Id\" uuid PRIMARY KEY, "
        + quote(COLUMN) + " text NOT NULL, tags text[], amount numeric(10,4))");
  }

  @AfterAll
  static void dropTable() throws SQLException {
    sql.execute("DROP SCHEMA \"Layer_IT\" CASCADE");
  }

  @Test
  void givenMixedCaseNamesWithQuotes_whenTheCatalogIsRead_itFindsEveryColumnWithItsType() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      Map<String, ColumnType> types = Catalog.columnTypes(connection, TABLE);

      assertThat(types).containsEntry("Id", new ColumnType("uuid", false))
          .containsEntry(COLUMN, new ColumnType("text", false))
          .containsEntry("tags", new ColumnType("text[]", true))
          .containsEntry("amount", new ColumnType("numeric(10,4)", false));
      assertThat(Catalog.columnTypes(connection, "Layer_IT.no_such_table")).isEmpty();
    }
  }

  @Test
  void givenAKeyAsText_whenReadByIt_itIsCastToTheKeyColumnsType() throws SQLException {
    String id = insert("hello");
    try (Connection connection = dataSource.getConnection()) {
      String sql = "SELECT " + quote(COLUMN) + " FROM " + qualified(TABLE) + " WHERE \"Id\" = ?";

      assertThat(RowReads.readOne(connection, sql, List.of(id), row -> row.getString(1))).contains("hello");
      assertThat(RowReads.readOne(connection, sql, List.of(UUID.randomUUID().toString()), row -> row.getString(1)))
          .isEmpty();
    }
  }

  @Test
  void givenALockedRead_itReturnsTheRowAndAPositionThatGrowsAndRestoresAutoCommit() throws SQLException {
    String id = insert("locked");
    try (Connection connection = dataSource.getConnection()) {
      String sql = "SELECT " + quote(COLUMN) + " FROM " + qualified(TABLE) + " WHERE \"Id\" = ?";

      RowReads.Locked<String> first = RowReads.readLocked(connection, sql, List.of(id), "5s", row -> row.getString(1));
      insert("a later change");
      RowReads.Locked<String> second = RowReads.readLocked(connection, sql, List.of(id), null, row -> row.getString(1));

      assertThat(first.row()).isEqualTo("locked");
      assertThat(second.position()).isGreaterThan(first.position());
      assertThat(connection.getAutoCommit()).isTrue();
    }
  }

  @Test
  void givenAKeyThatIsNoUuid_whenRead_itFailsAsNonRetryableInvalidData() {
    assertThatThrownBy(() -> {
      try (Connection connection = dataSource.getConnection()) {
        RowReads.readOne(connection, "SELECT 1 FROM " + qualified(TABLE) + " WHERE \"Id\" = ?", List.of("not-a-uuid"),
            row -> row.getInt(1));
      } catch (SQLException e) {
        throw PostgresFailures.failure("reading 'not-a-uuid'", e);
      }
    }).isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
      assertThat(failure.getType()).isEqualTo(FailureType.INVALID_DATA.type());
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage()).contains("22P02", "not-a-uuid");
    });
  }

  @Test
  void givenARealConstraintViolationAndAMissingColumn_whenMapped_theyAreInvalidDataAndSchemaChanged() {
    assertThat(mapped("INSERT INTO " + qualified(TABLE) + " (\"Id\", " + quote(COLUMN) + ") VALUES ('"
        + UUID.randomUUID() + "', NULL)")).extracting(ApplicationFailure::getType)
        .isEqualTo(FailureType.INVALID_DATA.type());
    assertThat(mapped("SELECT \"no_such_column\" FROM " + qualified(TABLE)))
        .extracting(ApplicationFailure::getType).isEqualTo(FailureType.SCHEMA_CHANGED.type());
    assertThat(mapped("SELECT 1 FROM \"Layer_IT\".\"gone\"")).extracting(ApplicationFailure::getType)
        .isEqualTo(FailureType.SCHEMA_CHANGED.type());
  }

  private static ApplicationFailure mapped(String statement) {
    try (Connection connection = dataSource.getConnection()) {
      connection.createStatement().execute(statement);
    } catch (SQLException e) {
      RuntimeException failure = PostgresFailures.failure("running " + statement, e);
      assertThat(failure).isInstanceOf(ApplicationFailure.class);
      return (ApplicationFailure) failure;
    }
    throw new AssertionError("no failure: " + statement);
  }

  private static String insert(String value) throws SQLException {
    String id = UUID.randomUUID().toString();
    try (Connection connection = dataSource.getConnection();
         var statement = connection.prepareStatement("INSERT INTO " + qualified(TABLE) + " (\"Id\", "
             + quote(COLUMN) + ") VALUES (CAST(? AS uuid), ?)")) {
      statement.setString(1, id);
      statement.setString(2, value);
      statement.executeUpdate();
    }
    return id;
  }
}
