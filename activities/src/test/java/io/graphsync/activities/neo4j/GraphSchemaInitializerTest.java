package io.graphsync.activities.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import org.junit.jupiter.api.Test;

class GraphSchemaInitializerTest {

  @Test
  void givenDefaultMapping_whenListingStatements_itConstrainsEveryLabelIdAndTheTombstoneKey() {
    assertThat(GraphSchemaInitializer.statements(ResolvedContextNexus.mapping())).containsExactly(
        "CREATE CONSTRAINT `graphsync_Tenant_id` IF NOT EXISTS FOR (n:`Tenant`) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT `graphsync_User_id` IF NOT EXISTS FOR (n:`User`) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT `graphsync_Thread_id` IF NOT EXISTS FOR (n:`Thread`) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT `graphsync_Message_id` IF NOT EXISTS FOR (n:`Message`) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT `graphsync_ContentItem_id` IF NOT EXISTS FOR (n:`ContentItem`) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT `graphsync_Concept_id` IF NOT EXISTS FOR (n:`Concept`) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT graphsync_tombstone_key IF NOT EXISTS FOR (t:GraphsyncTombstone) REQUIRE t.key IS UNIQUE");
  }
}
