package io.graphsync.activities.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.workflows.mapping.Conversion;
import io.graphsync.workflows.mapping.Direction;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.RelationshipMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingLoaderTest {

  private static final String MINIMAL = """
      tables:
        - table: threads
          label: Thread
          key: id
          relationships:
            - { column: tenant_id, target: tenants, type: BELONGS_TO, direction: OUTGOING }
      """;

  @Test
  void givenDefaultMapping_whenLoaded_itHasTheContextNexusTablesAndJoinTable() {
    GraphMapping mapping = MappingLoader.load(MappingLoader.DEFAULT_LOCATION);

    assertThat(mapping.tables()).extracting(TableMapping::label)
        .containsExactly("Tenant", "User", "Thread", "Message", "ContentItem", "Concept");
    assertThat(mapping.table("content_items").orElseThrow().conversions()).containsEntry("score", Conversion.DOUBLE);
    assertThat(mapping.table("threads").orElseThrow().relationships())
        .contains(new RelationshipMapping("created_by", "users", "STARTED", Direction.INCOMING));
    assertThat(mapping.joinTable("content_item_concepts").orElseThrow().type()).isEqualTo("MENTIONS");
  }

  @Test
  void givenFileLocation_whenLoaded_itReadsTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mapping.yml");
    Files.writeString(file, MINIMAL);

    assertThat(MappingLoader.load("file:" + file).tables()).hasSize(1);
    assertThat(MappingLoader.load(file.toUri().toString()).tables()).hasSize(1);
    assertThat(MappingLoader.load(file.toString()).tables()).hasSize(1);
  }

  @Test
  void givenUnknownTopLevelField_whenLoaded_itFailsNamingFieldAndLine() {
    assertThatThrownBy(() -> MappingLoader.parse(MINIMAL + "views: []\n", "test.yml"))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("test.yml")
        .hasMessageContaining("\"views\"")
        .hasMessageContaining("near line");
  }

  @Test
  void givenUnknownTableField_whenLoaded_itFails() {
    String yaml = MINIMAL.replace("    key: id\n", "    key: id\n    lable: Typo\n");

    assertThatThrownBy(() -> MappingLoader.parse(yaml, "test.yml"))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("at tables[0].lable")
        .hasMessageContaining("\"lable\"");
  }

  @Test
  void givenUnknownRelationshipField_whenLoaded_itFails() {
    String yaml = MINIMAL.replace("direction: OUTGOING", "direction: OUTGOING, cardinality: ONE");

    assertThatThrownBy(() -> MappingLoader.parse(yaml, "test.yml"))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("at tables[0].relationships[0].cardinality")
        .hasMessageContaining("\"cardinality\"");
  }

  @Test
  void givenUnknownEnumValue_whenLoaded_itFails() {
    String yaml = MINIMAL.replace("direction: OUTGOING", "direction: BOTH");

    assertThatThrownBy(() -> MappingLoader.parse(yaml, "test.yml"))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("BOTH");
  }

  @Test
  void givenDuplicateKey_whenLoaded_itFails() {
    String yaml = MINIMAL.replace("    key: id\n", "    key: id\n    key: uuid\n");

    assertThatThrownBy(() -> MappingLoader.parse(yaml, "test.yml"))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("key");
  }

  @Test
  void givenEmptyFile_whenLoaded_itFails() {
    assertThatThrownBy(() -> MappingLoader.parse("", "empty.yml"))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("empty.yml");
  }

  @Test
  void givenMissingResource_whenLoaded_itFails() {
    assertThatThrownBy(() -> MappingLoader.load("classpath:mapping/nope.yml"))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("mapping/nope.yml");
  }
}
