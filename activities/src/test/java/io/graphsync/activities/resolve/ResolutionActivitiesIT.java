package io.graphsync.activities.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import io.graphsync.activities.neo4j.GraphWriteActivitiesImpl;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.resolve.Approval;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.ConflictDecision;
import io.graphsync.workflows.resolve.PropertyDifference;
import io.graphsync.workflows.resolve.Resolution;
import io.graphsync.workflows.resolve.RowUpdateResult;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.graphsync.workflows.sync.GraphWriteActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;

/**
 * The effects of a decision, on a real PostgreSQL (migrated, with the version trigger) and a real Neo4j: the graph is
 * written by the real graph writer, edited "inside Neo4j" by Cypher, and then the decision is applied. Fresh ids per
 * test (the servers are shared).
 */
@ExtendWith(GraphsyncExtension.class)
class ResolutionActivitiesIT {

  /** What the graph writes itself; the rest of a node is content. */
  private static final Set<String> BOOKKEEPING = Set.of("pgVersion", "syncPosition", "lastSyncedAt");

  private static final GraphMapping MAPPING = ResolvedContextNexus.mapping();

  private static Driver driver;
  private static DataSource dataSource;
  private static Sql sql;
  private static SourceRowReader rows;
  private static ResolutionActivitiesImpl activities;
  private static TestActivityEnvironment temporal;
  private static GraphWriteActivities graphWriter;

  @BeforeAll
  static void connect(Driver graph, Sql migrated) {
    sql = migrated;
    dataSource = migrated.dataSource();
    driver = graph;
    rows = new SourceRowReader(dataSource, MAPPING);
    activities = new ResolutionActivitiesImpl(dataSource, Neo4jTarget.of(driver), MAPPING);
    temporal = TestActivityEnvironment.newInstance();
    temporal.registerActivitiesImplementations(new GraphWriteActivitiesImpl(Neo4jTarget.of(driver), MAPPING, rows));
    graphWriter = temporal.newActivityStub(GraphWriteActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  @AfterAll
  static void close() {
    temporal.close();
  }

  // --- KEEP_NEO4J ---------------------------------------------------------------------------------------------

  @Test
  void givenANodeEditedInNeo4j_whenKeepNeo4j_itWritesTheNodesValuesIntoTheRowAndBumpsPgVersion() throws Exception {
    String tenant = insertTenant();
    String id = insertContentItem(tenant);
    syncFromRow("content_items", id);
    cypher("MATCH (n:ContentItem {id: $id}) SET n.title = 'edited in the graph', n.score = 99.125, "
        + "n.tags = ['edited', 'twice'], n.metadata = '{\"source\": \"graph\"}', n.body = null, "
        + "n.createdAt = datetime('2025-01-02T03:04:05.678+01:00')", id);
    Map<String, Object> edited = content(node("ContentItem", id));

    RowUpdateResult result = activities.keepNeo4jValues(decision("content_items", "ContentItem", id, tenant, 1L));

    assertThat(result.rejection()).isNull();
    assertThat(result.applied()).isTrue();
    assertThat(result.pgVersion()).isEqualTo(2L);
    assertThat(result.detail()).contains("pg_version 1 -> 2", "title", "tags");
    Map<String, Object> row = row("SELECT title, score::text AS score, array_to_string(tags, ',') AS tags, "
        + "metadata::text AS metadata, body, created_at = '2025-01-02T02:04:05.678Z' AS created, content_type, "
        + "tenant_id::text AS tenant, pg_version, sync_status FROM content_items WHERE id = ?::uuid", id);
    assertThat(row).containsEntry("title", "edited in the graph").containsEntry("score", "99.1250")
        .containsEntry("tags", "edited,twice").containsEntry("metadata", "{\"source\": \"graph\"}")
        .containsEntry("body", null).containsEntry("created", true).containsEntry("content_type", "text/plain")
        // never the key, tenant or bookkeeping from the node; the trigger bumps the version and marks it PENDING
        .containsEntry("tenant", tenant).containsEntry("pg_version", 2L).containsEntry("sync_status", "PENDING");
    assertThat(auditRows(workflowId("ContentItem", id))).singleElement().satisfies(audit -> assertThat(audit)
        .containsEntry("resolution", "KEEP_NEO4J").containsEntry("applied", true)
        .containsEntry("decided_by", "alice").containsEntry("revision", 1));

    // the capture syncs the update back: the graph gets the same values, only its bookkeeping moves
    GraphApplyResult back = graphWriter.applyToGraph(captured(EventType.UPDATE, "content_items", "ContentItem", id));

    assertThat(back.applied()).isTrue();
    Map<String, Object> after = node("ContentItem", id);
    assertThat(content(after)).isEqualTo(edited);
    assertThat(after).containsEntry("pgVersion", 2L);
  }

  @Test
  void givenTheRowChangedSinceTheConflict_whenKeepNeo4j_itIsStaleAndChangesNothing() throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "graphs");
    syncFromRow("concepts", id);
    cypher("MATCH (n:Concept {id: $id}) SET n.name = 'graph theory'", id);
    sql.execute("UPDATE concepts SET description = 'changed in PostgreSQL meanwhile' WHERE id = ?::uuid", id);

    RowUpdateResult result = activities.keepNeo4jValues(decision("concepts", "Concept", id, tenant, 1L));

    assertThat(result.applied()).isFalse();
    assertThat(result.rejection()).contains("stale", "pg_version 1 expected, 2 now");
    assertThat(row("SELECT name, pg_version FROM concepts WHERE id = ?::uuid", id))
        .containsEntry("name", "graphs").containsEntry("pg_version", 2L);
    assertThat(auditRows(workflowId("Concept", id))).isEmpty();
  }

  @Test
  void givenARetryAfterACommit_whenKeepNeo4jRunsAgain_itReturnsWhatItDidWithoutASecondUpdate() throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "graphs");
    syncFromRow("concepts", id);
    cypher("MATCH (n:Concept {id: $id}) SET n.name = 'graph theory'", id);
    ConflictDecision decision = decision("concepts", "Concept", id, tenant, 1L);

    RowUpdateResult first = activities.keepNeo4jValues(decision);
    RowUpdateResult retried = activities.keepNeo4jValues(decision);

    assertThat(first.applied()).isTrue();
    assertThat(retried.rejection()).isNull();
    assertThat(retried.applied()).isTrue();
    assertThat(retried.detail()).isEqualTo(first.detail());
    assertThat(row("SELECT name, pg_version FROM concepts WHERE id = ?::uuid", id))
        .containsEntry("name", "graph theory").containsEntry("pg_version", 2L);
    assertThat(auditRows(workflowId("Concept", id))).hasSize(1);
  }

  @Test
  void givenTheNodesValuesEqualTheRow_whenKeepNeo4j_itLeavesPgVersionAloneAndSaysSo() throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "graphs");
    syncFromRow("concepts", id);

    RowUpdateResult result = activities.keepNeo4jValues(decision("concepts", "Concept", id, tenant, 1L));

    assertThat(result.rejection()).isNull();
    assertThat(result.applied()).isFalse();
    assertThat(result.detail()).contains("already held");
    assertThat(row("SELECT pg_version FROM concepts WHERE id = ?::uuid", id)).containsEntry("pg_version", 1L);
  }

  @Test
  void givenANodeValueTheColumnRefuses_whenKeepNeo4j_itFailsWithoutRetryAndChangesNothing() throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "graphs");
    syncFromRow("concepts", id);
    cypher("MATCH (n:Concept {id: $id}) REMOVE n.name", id);

    assertThatThrownBy(() -> activities.keepNeo4jValues(decision("concepts", "Concept", id, tenant, 1L)))
        .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(FailureType.INVALID_DATA.type());
          assertThat(failure.isNonRetryable()).isTrue();
          assertThat(failure.getOriginalMessage()).contains("23502");
        });
    assertThat(row("SELECT name, pg_version FROM concepts WHERE id = ?::uuid", id))
        .containsEntry("name", "graphs").containsEntry("pg_version", 1L);
    assertThat(auditRows(workflowId("Concept", id))).isEmpty();
  }

  @Test
  void givenNoNodeOrAJoinTable_whenKeepNeo4j_itIsRejected() throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "graphs");

    assertThat(activities.keepNeo4jValues(decision("concepts", "Concept", id, tenant, 1L)).rejection())
        .contains("gone from the graph");
    assertThat(activities.keepNeo4jValues(decision("content_item_concepts", "MENTIONS", id + "|" + id, tenant,
        null)).rejection()).contains("join table");
  }

  // --- KEEP_POSTGRES ------------------------------------------------------------------------------------------

  @Test
  void givenANodeEditedInNeo4j_whenKeepPostgres_itsEventRewritesTheNodeFromTheRow() throws Exception {
    String tenant = insertTenant();
    String id = insertContentItem(tenant);
    syncFromRow("content_items", id);
    Map<String, Object> synced = content(node("ContentItem", id));
    long syncedAt = (Long) node("ContentItem", id).get("syncPosition");
    cypher("MATCH (n:ContentItem {id: $id}) SET n.title = 'edited in the graph', n.tags = ['x'], n.extra = 1", id);

    ChangeEvent event = activities.rewriteEventFromPostgres(conflict("content_items", "ContentItem", id, tenant, 1L));
    GraphApplyResult result = graphWriter.applyToGraph(event);

    assertThat(event.eventType()).isEqualTo(EventType.UPDATE);
    assertThat(event.source()).isEqualTo(EventSource.RECONCILIATION);
    assertThat(event.dataOmitted()).isTrue();
    assertThat(event.version()).isEqualTo(1L);
    assertThat(event.position()).isGreaterThan(syncedAt);
    assertThat(event.correlationId()).isEqualTo(workflowId("ContentItem", id));
    assertThat(result.applied()).isTrue();
    Map<String, Object> rewritten = content(node("ContentItem", id));
    // mapped properties come back from the row; a property the mapping does not know stays as it was
    rewritten.remove("extra");
    assertThat(rewritten).isEqualTo(synced);
    // written at the position of the graph writer's locked re-read of the row: at or after the event's own
    assertThat((Long) node("ContentItem", id).get("syncPosition")).isGreaterThanOrEqualTo(event.position());
  }

  @Test
  void givenTheRowIsGone_whenKeepPostgres_itsEventDeletesTheNode() throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "graphs");
    syncFromRow("concepts", id);
    sql.execute("DELETE FROM concepts WHERE id = ?::uuid", id);

    ChangeEvent event = activities.rewriteEventFromPostgres(conflict("concepts", "Concept", id, tenant, 1L));
    GraphApplyResult result = graphWriter.applyToGraph(event);

    assertThat(event.eventType()).isEqualTo(EventType.DELETE);
    assertThat(event.version()).isNull();
    assertThat(result.applied()).isTrue();
    assertThat(nodes("Concept", id)).isZero();
  }

  // --- audit --------------------------------------------------------------------------------------------------

  @Test
  void givenADecision_whenRecordedTwice_itIsOneRowWithBothSidesAsJson() throws Exception {
    String tenant = insertTenant();
    String id = UUID.randomUUID().toString();
    ConflictDecision decision = decision("concepts", "Concept", id, tenant, 3L)
        .withResult(false, "dismissed: nothing changed");

    activities.recordConflictDecision(decision);
    activities.recordConflictDecision(decision);

    List<Map<String, Object>> audit = auditRows(workflowId("Concept", id));
    assertThat(audit).singleElement().satisfies(row -> assertThat(row)
        .containsEntry("run_id", "run-1").containsEntry("entity_table", "concepts")
        .containsEntry("entity_type", "Concept").containsEntry("entity_id", id).containsEntry("tenant_id", tenant)
        .containsEntry("kind", Conflict.SAME_VERSION_DIFFERENT_CONTENT).containsEntry("resolution", "KEEP_NEO4J")
        .containsEntry("decided_by", "alice").containsEntry("comment", "the graph edit is right")
        .containsEntry("revision", 1).containsEntry("pg_version", 3L).containsEntry("applied", false)
        .containsEntry("detail", "dismissed: nothing changed")
        .containsEntry("postgres_name", "graphs").containsEntry("neo4j_name", "graph theory")
        .containsEntry("difference", "name"));
  }

  // --- fixtures -----------------------------------------------------------------------------------------------

  private static String workflowId(String entityType, String id) {
    return "resolve/" + entityType + "/" + id;
  }

  private static Conflict conflict(String table, String entityType, String id, String tenant, Long pgVersion) {
    return new Conflict(table, entityType, id, tenant, Conflict.SAME_VERSION_DIFFERENT_CONTENT, pgVersion, 0L,
        Map.of("name", "graphs"), Map.of("name", "graph theory"),
        List.of(new PropertyDifference("name", "graphs", "graph theory")), Instant.now(), "reconcile/test");
  }

  private static ConflictDecision decision(String table, String entityType, String id, String tenant,
      Long pgVersion) {
    return new ConflictDecision(workflowId(entityType, id), "run-1", conflict(table, entityType, id, tenant,
        pgVersion), 1, new Approval(Resolution.KEEP_NEO4J, "alice", "the graph edit is right", 1), false, null,
        Instant.now());
  }

  /** Writes the node as the capture's sync would: the row as it is, at the current WAL position. */
  private static void syncFromRow(String table, String id) throws SQLException {
    String label = MAPPING.table(table).orElseThrow().label();
    assertThat(graphWriter.applyToGraph(captured(EventType.CREATE, table, label, id)).applied()).isTrue();
  }

  /** The change the capture would deliver for the row as it is now (SourceRowReaderIT proves the representation). */
  private static ChangeEvent captured(EventType type, String table, String label, String id) throws SQLException {
    Map<String, Object> data = rows.read(table, id).orElseThrow();
    long position = currentWalPosition();
    return ChangeEvent.builder(EventSource.POSTGRES, type).entity(table, label, id).correlationId("tx")
        .timestamp(Instant.now()).data(data).version(((Number) data.get("pg_version")).longValue()).position(position)
        .build();
  }

  private static long currentWalPosition() throws SQLException {
    return (Long) row("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint AS lsn").get("lsn");
  }

  private static String insertTenant() throws SQLException {
    String id = UUID.randomUUID().toString();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'tenant')", id);
    return id;
  }

  private static String insertConcept(String tenant, String name) throws SQLException {
    String id = UUID.randomUUID().toString();
    sql.execute("INSERT INTO concepts (id, tenant_id, name, description) VALUES (?::uuid, ?::uuid, ?, 'about it')", id,
        tenant, name);
    return id;
  }

  private static String insertContentItem(String tenant) throws SQLException {
    String id = UUID.randomUUID().toString();
    sql.execute("INSERT INTO content_items (id, tenant_id, title, metadata, body, score, tags, created_at) VALUES "
        + "(?::uuid, ?::uuid, 'from PostgreSQL', '{\"b\": 1, \"a\": [true]}', 'the body', 12.5, '{graph,sync}', "
        + "'2024-02-29 13:45:00.5+02')", id, tenant);
    return id;
  }

  private static Map<String, Object> node(String label, String id) {
    return new HashMap<>(driver.executableQuery("MATCH (n:`" + label + "` {id: $id}) RETURN properties(n) AS p")
        .withParameters(Map.of("id", id)).execute().records().get(0).get("p").asMap());
  }

  private static long nodes(String label, String id) {
    return driver.executableQuery("MATCH (n:`" + label + "` {id: $id}) RETURN count(n) AS c")
        .withParameters(Map.of("id", id)).execute().records().get(0).get("c").asLong();
  }

  /** A node's properties without what the graph writer keeps for itself; date-times compared as instants. */
  private static Map<String, Object> content(Map<String, Object> node) {
    Map<String, Object> content = new HashMap<>(node);
    content.keySet().removeAll(BOOKKEEPING);
    content.replaceAll((key, value) -> value instanceof ZonedDateTime zoned ? zoned.toInstant() : value);
    return content;
  }

  private static void cypher(String statement, String id) {
    driver.executableQuery(statement).withParameters(Map.of("id", id)).execute();
  }

  private static List<Map<String, Object>> auditRows(String workflowId) throws SQLException {
    return sql.query("SELECT run_id, entity_table, entity_type, entity_id, tenant_id, kind, resolution, decided_by, "
        + "comment, revision, pg_version, applied, detail, postgres ->> 'name' AS postgres_name, "
        + "neo4j ->> 'name' AS neo4j_name, differences -> 0 ->> 'property' AS difference "
        + "FROM graphsync.conflict_audit WHERE workflow_id = ?", workflowId);
  }

  private static Map<String, Object> row(String query, Object... args) throws SQLException {
    List<Map<String, Object>> rows = sql.query(query, args);
    assertThat(rows).as(query).hasSize(1);
    return rows.get(0);
  }
}
