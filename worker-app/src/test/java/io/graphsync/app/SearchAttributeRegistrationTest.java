package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.dev.TemporalDevServer;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The dev stack (and the register command for real clusters) registers exactly what the workflows set. */
class SearchAttributeRegistrationTest {

  private static String cliType(IndexedValueType type) {
    return switch (type) {
      case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
      case INDEXED_VALUE_TYPE_TEXT -> "Text";
      case INDEXED_VALUE_TYPE_INT -> "Int";
      case INDEXED_VALUE_TYPE_DOUBLE -> "Double";
      case INDEXED_VALUE_TYPE_BOOL -> "Bool";
      case INDEXED_VALUE_TYPE_DATETIME -> "Datetime";
      case INDEXED_VALUE_TYPE_KEYWORD_LIST -> "KeywordList";
      default -> throw new IllegalArgumentException("unsupported search attribute type " + type);
    };
  }

  @Test
  void givenWorkflowSearchAttributes_whenComparedWithTheDevStack_itRegistersTheSameNamesAndTypes() {
    Map<String, String> used = SyncSearchAttributes.ALL.stream()
        .collect(Collectors.toMap(key -> key.getName(), key -> cliType(key.getValueType())));

    assertThat(TemporalDevServer.SEARCH_ATTRIBUTES).isEqualTo(used);
  }
}
