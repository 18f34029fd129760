package io.graphsync.activities.mapping;

import static io.graphsync.workflows.mapping.Conversion.BOOLEAN;
import static io.graphsync.workflows.mapping.Conversion.DATE;
import static io.graphsync.workflows.mapping.Conversion.DATETIME;
import static io.graphsync.workflows.mapping.Conversion.DOUBLE;
import static io.graphsync.workflows.mapping.Conversion.JSON_STRING;
import static io.graphsync.workflows.mapping.Conversion.LIST;
import static io.graphsync.workflows.mapping.Conversion.LOCAL_DATETIME;
import static io.graphsync.workflows.mapping.Conversion.LONG;
import static io.graphsync.workflows.mapping.Conversion.STRING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.mapping.Conversion;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validator against a live schema: graphsync's migrations (core + the sample), plus a few extra tables with
 * other column types and broken set-ups. It uses a database of its own on the shared server.
 */
@ExtendWith(GraphsyncExtension.class)
class MappingValidatorIT {

  private static final String DATABASE = "graphsync_mapping_it";
  private static final String EXTRA_SCHEMA = """
      CREATE SCHEMA extra;
      CREATE TYPE extra.mood AS ENUM ('happy', 'sad');
      CREATE DOMAIN extra.short_text AS varchar(20);
      CREATE TABLE extra.typed (id bigint PRIMARY KEY, small int2, regular int4, ratio float4, precise float8,
        flag bool, day date, doc json, stamp timestamp, code char(3), mood extra.mood, nick extra.short_text,
        counts int4[], span interval);
      SELECT graphsync.enable_sync('extra.typed');
      CREATE TABLE extra.plain (id uuid PRIMARY KEY, name text);
      CREATE TABLE extra.default_identity (id uuid PRIMARY KEY, name text);
      SELECT graphsync.enable_sync('extra.default_identity');
      ALTER TABLE extra.default_identity REPLICA IDENTITY DEFAULT;
      CREATE TABLE extra.links (content_item_id uuid, concept_id uuid, PRIMARY KEY (content_item_id, concept_id));
      """;

  private static MappingValidator validator;
  private static String defaultYaml;

  @BeforeAll
  static void migrate(GraphsyncStack stack) throws SQLException, IOException {
    DataSource dataSource = stack.database(DATABASE);
    GraphsyncStack.migrate(dataSource);
    Sql sql = new Sql(dataSource);
    if (sql.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'extra'") == 0) {
      sql.execute(EXTRA_SCHEMA);
    }
    // types graphsync refuses, or converts only one way (kept apart from extra.typed, whose defaults are asserted)
    sql.execute("""
        CREATE TABLE IF NOT EXISTS extra.odd (id bigint PRIMARY KEY, area box, spans interval[], spot point);
        SELECT graphsync.enable_sync('extra.odd');
        """);
    validator = new MappingValidator(dataSource);
    try (InputStream in = MappingValidatorIT.class.getResourceAsStream("/mapping/contextnexus.yml")) {
      defaultYaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static GraphMapping validate(String yaml) {
    return validator.validate(MappingLoader.parse(yaml, "test.yml"));
  }

  @Test
  void givenDefaultMapping_whenValidatedAgainstTheSampleSchema_itResolvesEveryPropertyAndConversion() {
    GraphMapping resolved = validator.validate(MappingLoader.load(MappingLoader.DEFAULT_LOCATION));

    assertThat(resolved).isEqualTo(ResolvedContextNexus.mapping());
    TableMapping contentItems = resolved.table("content_items").orElseThrow();
    assertThat(contentItems.include())
        .containsExactly("title", "content_type", "metadata", "body", "score", "tags", "created_at");
    assertThat(contentItems.conversions()).containsOnly(entry("title", STRING), entry("content_type", STRING),
        entry("metadata", JSON_STRING), entry("body", STRING), entry("score", DOUBLE), entry("tags", LIST),
        entry("created_at", DATETIME));
    assertThat(resolved.table("tenants").orElseThrow().conversions()).containsOnly(entry("name", STRING),
        entry("plan", STRING), entry("settings", JSON_STRING), entry("created_at", DATETIME));
    assertThat(resolved.table("users").orElseThrow().conversions()).containsEntry("roles", LIST);
    assertThat(resolved.joinTable("content_item_concepts").orElseThrow().conversions())
        .containsOnly(entry("weight", DOUBLE));
  }

  @Test
  void givenColumnsOfOtherTypes_whenValidated_itPicksTheirDefaultConversions() {
    GraphMapping resolved = validate("""
        tables:
          - table: extra.typed
            label: Typed
            key: id
            exclude: [span]
        """);

    Map<String, Conversion> conversions = resolved.tables().get(0).conversions();
    assertThat(conversions).containsOnly(entry("small", LONG), entry("regular", LONG), entry("ratio", DOUBLE),
        entry("precise", DOUBLE), entry("flag", BOOLEAN), entry("day", DATE), entry("doc", JSON_STRING),
        entry("stamp", LOCAL_DATETIME), entry("code", STRING), entry("mood", STRING), entry("nick", STRING),
        entry("counts", LIST));
    assertThat(resolved.tables().get(0).include()).containsExactly("small", "regular", "ratio", "precise", "flag",
        "day", "doc", "stamp", "code", "mood", "nick", "counts");
  }

  static Stream<Arguments> brokenMappings() {
    return Stream.of(
        broken("unknown table", "- table: concepts", "- table: conceptz", "unknown table 'conceptz'"),
        broken("unknown key column", "    label: Concept\n    key: id", "    label: Concept\n    key: uuid",
            "table 'concepts': unknown column 'uuid' in key"),
        broken("key not the primary key", "    label: Concept\n    key: id", "    label: Concept\n    key: name",
            "table 'concepts': key 'name' is not the table's primary key (primary key: [id])"),
        broken("unknown column in include", "    label: Concept\n", "    label: Concept\n    include: [colour]\n",
            "table 'concepts': unknown column 'colour' in include"),
        broken("unknown column in exclude", "    label: Concept\n", "    label: Concept\n    exclude: [colour]\n",
            "table 'concepts': unknown column 'colour' in exclude"),
        broken("unknown column in rename", "      display_name: displayName", "      nickname: displayName",
            "table 'users': unknown column 'nickname' in rename"),
        broken("unknown column in conversions", "      score: DOUBLE", "      scores: DOUBLE",
            "table 'content_items': unknown column 'scores' in conversions"),
        broken("unknown column in relationships", "{ column: created_by,", "{ column: creator,",
            "table 'threads': unknown column 'creator' in relationships"),
        broken("unknown column in a join table", "    fromColumn: content_item_id", "    fromColumn: item_id",
            "join table 'content_item_concepts': unknown column 'item_id' in fromColumn"),
        broken("duplicate table", "joinTables:", "  - { table: public.tenants, label: Tenant2, key: id }\njoinTables:",
            "table 'public.tenants' is mapped more than once"),
        broken("duplicate label", "    label: Concept", "    label: Thread",
            "label 'Thread' is used by both table 'threads' and table 'concepts'"),
        broken("relationship target not mapped", "target: users, type: STARTED", "target: accounts, type: STARTED",
            "table 'threads': relationship of column 'created_by' targets table 'accounts', "
                + "which is not a mapped table"),
        broken("join end not mapped", "    toTable: concepts", "    toTable: topics",
            "join table 'content_item_concepts': toTable 'topics' is not a mapped table"),
        broken("label not an identifier", "label: ContentItem", "label: Content-Item",
            "table 'content_items': label 'Content-Item' is not a valid identifier"),
        broken("relationship type not an identifier", "type: IN_THREAD", "type: IN THREAD",
            "type 'IN THREAD' is not a valid identifier"),
        broken("join type not an identifier", "type: MENTIONS", "type: 1MENTIONS",
            "join table 'content_item_concepts': type '1MENTIONS' is not a valid identifier"),
        broken("missing label", "    label: Concept\n", "", "table 'concepts': no 'label'"),
        broken("sync columns missing", "joinTables:", "  - { table: extra.plain, label: Plain, key: id }\njoinTables:",
            "table 'extra.plain' lacks the sync columns [pg_version, sync_status, sync_attempts, last_sync_error, "
                + "last_sync_timestamp, neo4j_node_id]: run SELECT graphsync.enable_sync('extra.plain')"),
        broken("replica identity not full", "joinTables:",
            "  - { table: extra.default_identity, label: DefaultIdentity, key: id }\njoinTables:",
            "table 'extra.default_identity' does not have REPLICA IDENTITY FULL: run SELECT graphsync.enable_sync("),
        broken("type without conversion", "joinTables:",
            "  - { table: extra.odd, label: Odd, key: id }\njoinTables:",
            "table 'extra.odd': column 'area' has type 'box': Debezium does not send values of this geometric type"),
        broken("array of a type without list conversion", "joinTables:",
            "  - { table: extra.odd, label: Odd, key: id, exclude: [area] }\njoinTables:",
            "table 'extra.odd': column 'spans' has type 'interval[]': arrays of interval are not converted"),
        broken("conversion that does not fit the type", "joinTables:",
            "  - { table: extra.odd, label: Odd, key: id, exclude: [area, spans], conversions: { spot: STRING } }\n"
                + "joinTables:",
            "table 'extra.odd': column 'spot' has type 'point', which conversion STRING does not fit (it would fail or"
                + " change values at run time): use one of [POINT, JSON_STRING]"),
        broken("property graphsync writes itself", "      display_name: displayName", "      display_name: pgVersion",
            "table 'users': column 'display_name' would become property 'pgVersion', which graphsync writes itself"),
        broken("two columns, one property", "      display_name: displayName", "      display_name: email",
            "table 'users': columns 'email' and 'display_name' both become property 'email'"),
        broken("conversion of a column that is no property", "      score: DOUBLE",
            "      score: DOUBLE\n      tenant_id: STRING",
            "table 'content_items': conversions names column 'tenant_id', which is not mapped as a property"),
        broken("join key not the primary key", "    toColumn: concept_id", "    toColumn: tenant_id",
            "join table 'content_item_concepts': (content_item_id, tenant_id) is not the table's primary key"),
        broken("join table without full replica identity", "  - table: content_item_concepts",
            "  - table: extra.links",
            "join table 'extra.links' does not have REPLICA IDENTITY FULL: run SELECT graphsync.enable_join_sync("),
        broken("two relationships that would overwrite each other",
            "{ column: author_id, target: users, type: AUTHORED, direction: INCOMING }",
            "{ column: author_id, target: threads, type: IN_THREAD, direction: OUTGOING }",
            "both make (:Message)-[:IN_THREAD]->(:Thread)"),
        broken("back-flow of a label no table maps", "  - label: Concept ", "  - label: Concepts ",
            "backflow 'Concepts': no table of the mapping has label 'Concepts'"),
        broken("back-flow of a property that is not mapped", "properties: [name, description]",
            "properties: [name, summary]",
            "backflow 'Concept': 'summary' is not a mapped property of table 'concepts'"),
        broken("back-flow that leaves a NOT NULL column without a default unwritten",
            "properties: [name, description]", "properties: [description]",
            "backflow 'Concept': table 'concepts' has NOT NULL columns without a default that the back-flow does not "
                + "write [name]"),
                broken("MANUAL back-flow of a relationship", "    policy: POSTGRES_WINS", "    policy: MANUAL",
            "backflow 'RELATED_TO': policy MANUAL is for nodes"),
        broken("back-flow case with both label and type", "  - type: RELATED_TO ",
            "  - label: Tenant\n    type: RELATED_TO ", "names exactly one of 'label' (nodes) or 'type'"),
        broken("back-flow into a table without the back-flow columns", "  - type: RELATED_TO ",
            "  - label: User\n  - type: RELATED_TO ",
            "backflow 'User': table 'users' lacks the back-flow columns [sync_origin, last_modified_at]: run SELECT "
                + "graphsync.enable_backflow('users')"));
  }

  private static Arguments broken(String what, String from, String to, String expectedError) {
    return Arguments.of(what, from, to, expectedError);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenMappings")
  void givenBrokenMapping_whenValidated_itReportsThePreciseProblem(String what, String from, String to,
      String expectedError) {
    assertThat(defaultYaml).contains(from);
    String yaml = defaultYaml.replace(from, to);

    assertThatThrownBy(() -> validate(yaml))
        .isInstanceOfSatisfying(MappingException.class,
            e -> assertThat(e.errors()).anySatisfy(error -> assertThat(error).contains(expectedError)));
  }

  @Test
  void givenSeveralProblems_whenValidated_itReportsThemAllInOneException() {
    String yaml = defaultYaml.substring(0, defaultYaml.indexOf("\nbackflow:") + 1)
        .replace("    label: Concept", "    label: Thread")
        .replace("      score: DOUBLE", "      scores: DOUBLE")
        .replace("type: IN_THREAD", "type: IN THREAD");

    assertThatThrownBy(() -> validate(yaml))
        .isInstanceOfSatisfying(MappingException.class, e -> {
          assertThat(e.errors()).hasSize(3);
          assertThat(e.getMessage()).contains("3 problems", "label 'Thread'", "'scores'", "'IN THREAD'");
        });
  }
}
