package io.graphsync.activities.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.workflows.mapping.Conversion;
import io.graphsync.workflows.mapping.Direction;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.RelationshipMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MappedColumnsTest {

  private static final List<String> COLUMNS = List.of("id", "tenant_id", "thread_id", "author_id", "body",
      "secret", "sent_at", "pg_version", "sync_status", "sync_attempts", "last_sync_error", "last_sync_timestamp",
      "neo4j_node_id");

  private static TableMapping messages(List<String> include, List<String> exclude) {
    return new TableMapping("messages", "Message", "id", "tenant_id", include, exclude,
        Map.of("sent_at", "sentAt"), Map.of(),
        List.of(new RelationshipMapping("thread_id", "threads", "IN_THREAD", Direction.OUTGOING)));
  }

  @Test
  void givenNoInclude_whenResolving_itTakesAllColumnsButKeySyncTenantMappedForeignKeysAndExcluded() {
    List<String> properties = MappedColumns.propertyColumns(messages(List.of(), List.of("secret")), COLUMNS);

    assertThat(properties).containsExactly("author_id", "body", "sent_at");
  }

  @Test
  void givenInclude_whenResolving_itTakesOnlyThoseMinusTheNeverMappedOnes() {
    List<String> properties = MappedColumns.propertyColumns(
        messages(List.of("body", "id", "thread_id", "pg_version", "sent_at"), List.of("sent_at")), COLUMNS);

    assertThat(properties).containsExactly("body");
  }

  @Test
  void givenResolvedMapping_whenListingProperties_itRenamesAndCarriesConversions() {
    TableMapping resolved = new TableMapping("messages", "Message", "id", "tenant_id", List.of("body", "sent_at"),
        List.of(), Map.of("sent_at", "sentAt"), Map.of("body", Conversion.STRING, "sent_at", Conversion.DATETIME),
        List.of());

    assertThat(MappedColumns.of(resolved)).containsExactly(
        new MappedColumn("body", "body", Conversion.STRING),
        new MappedColumn("sent_at", "sentAt", Conversion.DATETIME));
  }

  @Test
  void givenJoinTable_whenListingProperties_itKeepsColumnNames() {
    JoinTableMapping join = new JoinTableMapping("content_item_concepts", "content_item_id", "content_items",
        "concept_id", "concepts", "MENTIONS", "tenant_id", List.of("weight"), Map.of("weight", Conversion.DOUBLE));

    assertThat(MappedColumns.of(join)).containsExactly(new MappedColumn("weight", "weight", Conversion.DOUBLE));
  }

  @Test
  void givenUnresolvedMapping_whenListingProperties_itIsRejected() {
    assertThatThrownBy(() -> MappedColumns.of(messages(List.of("body"), List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 'body' has no conversion");
  }
}
