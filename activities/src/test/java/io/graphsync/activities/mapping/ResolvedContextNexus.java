package io.graphsync.activities.mapping;

import static io.graphsync.workflows.mapping.Conversion.DATETIME;
import static io.graphsync.workflows.mapping.Conversion.DOUBLE;
import static io.graphsync.workflows.mapping.Conversion.JSON_STRING;
import static io.graphsync.workflows.mapping.Conversion.LIST;
import static io.graphsync.workflows.mapping.Conversion.STRING;
import static io.graphsync.workflows.mapping.Direction.INCOMING;
import static io.graphsync.workflows.mapping.Direction.OUTGOING;

import io.graphsync.workflows.mapping.BackflowCase;
import io.graphsync.workflows.mapping.ConflictPolicy;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.RelationshipMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.util.List;
import java.util.Map;

/**
 * The default mapping (mapping/contextnexus.yml) as {@link MappingValidator} resolves it against the sample schema.
 * {@code MappingValidatorIT} proves the two equal; the graph tests use it without a PostgreSQL server.
 */
public final class ResolvedContextNexus {

  private static final RelationshipMapping BELONGS_TO =
      new RelationshipMapping("tenant_id", "tenants", "BELONGS_TO", OUTGOING);

  private ResolvedContextNexus() {}

  public static GraphMapping mapping() {
    return new GraphMapping(List.of(
        new TableMapping("tenants", "Tenant", "id", "id",
            List.of("name", "plan", "settings", "created_at"), List.of(), Map.of(),
            Map.of("name", STRING, "plan", STRING, "settings", JSON_STRING, "created_at", DATETIME), List.of()),
        new TableMapping("users", "User", "id", "tenant_id",
            List.of("email", "display_name", "roles", "created_at"), List.of("password_hash"),
            Map.of("display_name", "displayName", "created_at", "createdAt"),
            Map.of("email", STRING, "display_name", STRING, "roles", LIST, "created_at", DATETIME),
            List.of(BELONGS_TO)),
        new TableMapping("threads", "Thread", "id", "tenant_id",
            List.of("title", "created_at"), List.of(), Map.of("created_at", "createdAt"),
            Map.of("title", STRING, "created_at", DATETIME),
            List.of(BELONGS_TO, new RelationshipMapping("created_by", "users", "STARTED", INCOMING))),
        new TableMapping("messages", "Message", "id", "tenant_id",
            List.of("body", "sent_at"), List.of(), Map.of("sent_at", "sentAt"),
            Map.of("body", STRING, "sent_at", DATETIME),
            List.of(new RelationshipMapping("thread_id", "threads", "IN_THREAD", OUTGOING),
                new RelationshipMapping("author_id", "users", "AUTHORED", INCOMING))),
        new TableMapping("content_items", "ContentItem", "id", "tenant_id",
            List.of("title", "content_type", "metadata", "body", "score", "tags", "created_at"), List.of(),
            Map.of("content_type", "contentType", "created_at", "createdAt"),
            Map.of("title", STRING, "content_type", STRING, "metadata", JSON_STRING, "body", STRING,
                "score", DOUBLE, "tags", LIST, "created_at", DATETIME),
            List.of(BELONGS_TO, new RelationshipMapping("message_id", "messages", "EXTRACTED_FROM", OUTGOING))),
        new TableMapping("concepts", "Concept", "id", "tenant_id",
            List.of("name", "description", "created_at"), List.of(), Map.of("created_at", "createdAt"),
            Map.of("name", STRING, "description", STRING, "created_at", DATETIME), List.of(BELONGS_TO))),
        List.of(new JoinTableMapping("content_item_concepts", "content_item_id", "content_items", "concept_id",
            "concepts", "MENTIONS", "tenant_id", List.of("weight"), Map.of("weight", DOUBLE)),
            new JoinTableMapping("concept_relations", "concept_id", "concepts", "related_concept_id", "concepts",
                "RELATED_TO", "tenant_id", List.of("score"), Map.of("score", DOUBLE))),
        List.of(new BackflowCase("Concept", null, ConflictPolicy.NEO4J_WINS_IF_NEWER, List.of("name", "description")),
            new BackflowCase(null, "RELATED_TO", ConflictPolicy.POSTGRES_WINS, List.of())));
  }
}
