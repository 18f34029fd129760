package io.graphsync.activities.backflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import io.graphsync.activities.neo4j.GraphWriteActivitiesImpl;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.backflow.BackflowOutcome;
import io.graphsync.workflows.backflow.BackflowWrite;
import io.graphsync.workflows.backflow.GraphChange;
import io.graphsync.workflows.backflow.GraphStampActivities;
import io.graphsync.workflows.backflow.PollRequest;
import io.graphsync.workflows.backflow.PollResult;
import io.graphsync.workflows.bulk.BatchItemResult;
import io.graphsync.workflows.bulk.BatchSyncActivities;
import io.graphsync.workflows.mapping.BackflowCase;
import io.graphsync.workflows.mapping.ConflictPolicy;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.graphsync.workflows.sync.GraphWriteActivities;
import io.graphsync.workflows.sync.SyncStatusUpdate;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;

/**
 * The back-flow's activities on a real PostgreSQL (migrated: the version and origin triggers) and a real Neo4j, each
 * conflict policy with both sides changed: the graph is edited "inside Neo4j" by Cypher that follows the write
 * contract, the row by SQL. Fresh ids per test (the servers are shared).
 */
@ExtendWith(GraphsyncExtension.class)
class BackflowActivitiesIT {

  private static final GraphMapping MAPPING = ResolvedContextNexus.mapping();

  private static Driver driver;
  private static DataSource dataSource;
  private static Sql sql;
  private static TestActivityEnvironment temporal;
  private static GraphWriteActivities graphWriter;
  private static GraphStampActivities stamps;
  private static SourceRowReader rows;

  @BeforeAll
  static void connect(DataSource migrated, Driver withConstraints) {
    dataSource = migrated;
    driver = withConstraints;
    sql = new Sql(dataSource);
    BackflowSchema.initialize(Neo4jTarget.of(driver), MAPPING);
    rows = new SourceRowReader(dataSource, MAPPING);
    GraphWriteActivitiesImpl writer = new GraphWriteActivitiesImpl(Neo4jTarget.of(driver), MAPPING, rows);
    temporal = TestActivityEnvironment.newInstance();
    temporal.registerActivitiesImplementations(writer,
        new GraphStampActivitiesImpl(Neo4jTarget.of(driver), MAPPING, writer));
    ActivityOptions once = ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build();
    graphWriter = temporal.newActivityStub(GraphWriteActivities.class, once);
    stamps = temporal.newActivityStub(GraphStampActivities.class, once);
  }

  @AfterAll
  static void close() {
    temporal.close();
  }

  private static BackflowActivitiesImpl activities(ConflictPolicy conceptPolicy) {
    GraphMapping mapping = new GraphMapping(MAPPING.tables(), MAPPING.joinTables(), List.of(
        new BackflowCase("Concept", null, conceptPolicy, List.of("name", "description")),
        new BackflowCase(null, "RELATED_TO", ConflictPolicy.POSTGRES_WINS, List.of())));
    return new BackflowActivitiesImpl(dataSource, Neo4jTarget.of(driver), mapping);
  }

  // --- graph-born nodes ---------------------------------------------------------------------------------------

  @Test
  void givenAGraphBornConcept_whenWritten_itInsertsOneRowMarkedFromNeo4jAndStampsTheNode() throws Exception {
    String tenant = insertTenant();
    String id = UUID.randomUUID().toString();
    cypher("CREATE (c:Concept {id: $id, tenantId: $tenant, name: 'born in the graph', description: 'by a scientist',"
        + " neo4jVersion: 1, neo4jModifiedAt: datetime()})", Map.of("id", id, "tenant", tenant));
    BackflowActivitiesImpl activities = activities(ConflictPolicy.POSTGRES_WINS);
    GraphChange change = change(id, tenant, 1);

    BackflowWrite write = activities.writeToPostgres(change);
    activities.stampGraph(change, write.pgVersion());

    assertThat(write.outcome()).isEqualTo(BackflowOutcome.WRITTEN);
    assertThat(write.pgVersion()).isEqualTo(1L);
    assertThat(row("SELECT name, description, tenant_id::text AS tenant, pg_version, sync_origin FROM concepts "
        + "WHERE id = ?::uuid", id)).containsEntry("name", "born in the graph")
        .containsEntry("description", "by a scientist").containsEntry("tenant", tenant).containsEntry("pg_version", 1L)
        .containsEntry("sync_origin", "neo4j:1");
    Map<String, Object> node = node("Concept", id);
    assertThat(node).containsEntry("pgId", id).containsEntry("pgVersion", 1L).containsEntry("backflowVersion", 1L)
        .containsEntry("neo4jVersion", 1L).containsKey("lastSyncedAt");
    // the same change again (a retried workflow, the poll's overlap): nothing more
    assertThat(activities.writeToPostgres(change).outcome()).isEqualTo(BackflowOutcome.NOTHING_TO_DO);

    // a second edit in the graph: an UPDATE locked on the version the node holds, marked with its neo4jVersion
    cypher("MATCH (c:Concept {id: $id}) SET c.name = 'renamed in the graph', c.neo4jVersion = c.neo4jVersion + 1, "
        + "c.neo4jModifiedAt = datetime()", Map.of("id", id));
    BackflowWrite second = activities.writeToPostgres(change(id, tenant, 2));
    assertThat(second.outcome()).isEqualTo(BackflowOutcome.WRITTEN);
    assertThat(second.pgVersion()).isEqualTo(2L);
    assertThat(row("SELECT name, pg_version, sync_origin FROM concepts WHERE id = ?::uuid", id))
        .containsEntry("name", "renamed in the graph").containsEntry("pg_version", 2L)
        .containsEntry("sync_origin", "neo4j:2");
  }

  @Test
  void givenAnEditThatChangesNoMappedValue_whenWritten_itLeavesTheRowAndItsVersionAlone() throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "steady");
    syncFromRow(id);
    cypher("MATCH (c:Concept {id: $id}) SET c.score = 0.7, c.neo4jVersion = 1, c.neo4jModifiedAt = datetime()",
        Map.of("id", id));

    BackflowWrite write = activities(ConflictPolicy.POSTGRES_WINS).writeToPostgres(change(id, tenant, 1));

    assertThat(write.outcome()).isEqualTo(BackflowOutcome.UNCHANGED);
    assertThat(row("SELECT pg_version, sync_origin FROM concepts WHERE id = ?::uuid", id))
        .containsEntry("pg_version", 1L).containsEntry("sync_origin", null);
  }

  // --- the policies, both sides changed -----------------------------------------------------------------------

  @Test
  void givenPostgresWins_whenBothSidesChanged_itKeepsTheRowAndRewritesTheGraphFromIt() throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "original");
    syncFromRow(id);
    execute("UPDATE concepts SET name = 'changed in postgres' WHERE id = ?::uuid", id);
    editInGraph(id, "changed in the graph");
    BackflowActivitiesImpl activities = activities(ConflictPolicy.POSTGRES_WINS);
    GraphChange change = change(id, tenant, 1);

    BackflowWrite write = activities.writeToPostgres(change);
    assertThat(write.outcome()).isEqualTo(BackflowOutcome.POSTGRES_WINS);
    assertThat(graphWriter.applyToGraph(activities.rewriteFromPostgres(change)).applied()).isTrue();
    activities.stampGraph(change, null);

    assertThat(row("SELECT name, pg_version FROM concepts WHERE id = ?::uuid", id))
        .containsEntry("name", "changed in postgres").containsEntry("pg_version", 2L);
    assertThat(node("Concept", id)).containsEntry("name", "changed in postgres").containsEntry("pgVersion", 2L)
        .containsEntry("backflowVersion", 1L);
  }

  @Test
  void givenNeo4jWinsIfNewer_whenTheNodeWasModifiedLast_itWritesTheNodeIntoTheRow() throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "original");
    syncFromRow(id);
    execute("UPDATE concepts SET name = 'changed in postgres' WHERE id = ?::uuid", id);
    Thread.sleep(20);
    editInGraph(id, "changed in the graph, later");

    BackflowWrite write = activities(ConflictPolicy.NEO4J_WINS_IF_NEWER).writeToPostgres(change(id, tenant, 1));

    assertThat(write.outcome()).isEqualTo(BackflowOutcome.NEO4J_WINS);
    assertThat(write.pgVersion()).isEqualTo(3L);
    assertThat(row("SELECT name, pg_version, sync_origin FROM concepts WHERE id = ?::uuid", id))
        .containsEntry("name", "changed in the graph, later").containsEntry("pg_version", 3L)
        .containsEntry("sync_origin", "neo4j:1");
  }

  @Test
  void givenNeo4jWinsIfNewer_whenTheRowWasModifiedLast_itKeepsTheRow() throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "original");
    syncFromRow(id);
    editInGraph(id, "changed in the graph, earlier");
    Thread.sleep(20);
    execute("UPDATE concepts SET name = 'changed in postgres, later' WHERE id = ?::uuid", id);

    BackflowWrite write = activities(ConflictPolicy.NEO4J_WINS_IF_NEWER).writeToPostgres(change(id, tenant, 1));

    assertThat(write.outcome()).isEqualTo(BackflowOutcome.POSTGRES_WINS);
    assertThat(row("SELECT name, pg_version FROM concepts WHERE id = ?::uuid", id))
        .containsEntry("name", "changed in postgres, later").containsEntry("pg_version", 2L);
  }

  @Test
  void givenManual_whenBothSidesChanged_itWritesNothingAndReturnsTheConflictWithBothSides() throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "original");
    syncFromRow(id);
    execute("UPDATE concepts SET name = 'changed in postgres' WHERE id = ?::uuid", id);
    editInGraph(id, "changed in the graph");

    BackflowWrite write = activities(ConflictPolicy.MANUAL).writeToPostgres(change(id, tenant, 1));

    assertThat(write.outcome()).isEqualTo(BackflowOutcome.MANUAL);
    assertThat(write.conflict().pgVersion()).isEqualTo(2L);
    assertThat(write.conflict().neo4jVersion()).isEqualTo(1L);
    assertThat(write.conflict().postgres()).containsEntry("name", "changed in postgres");
    assertThat(write.conflict().neo4j()).containsEntry("name", "changed in the graph");
    assertThat(write.conflict().differences()).extracting(d -> d.property()).containsExactly("name");
    assertThat(write.conflict().workflowId()).isEqualTo("resolve/Concept/" + id);
    assertThat(row("SELECT name, pg_version FROM concepts WHERE id = ?::uuid", id))
        .containsEntry("name", "changed in postgres").containsEntry("pg_version", 2L);
  }

  @Test
  void givenAManualConflict_whenTheNodeIsHeld_postgresChangesFinishUnwrittenUntilTheDecisionReleasesIt()
      throws Exception {
    String tenant = insertTenant();
    String id = insertConcept(tenant, "original");
    syncFromRow(id);
    execute("UPDATE concepts SET name = 'changed in postgres' WHERE id = ?::uuid", id);
    editInGraph(id, "changed in the graph");
    BackflowActivitiesImpl activities = activities(ConflictPolicy.MANUAL);
    BackflowWrite write = activities.writeToPostgres(change(id, tenant, 1));
    assertThat(write.outcome()).isEqualTo(BackflowOutcome.MANUAL);
    ChangeEvent postgresChange = rowChange(id);
    TestActivityEnvironment guarded = TestActivityEnvironment.newInstance();
    try {
      GraphWriteActivities writer = new GraphWriteActivitiesImpl(Neo4jTarget.of(driver), MAPPING, rows);
      guarded.registerActivitiesImplementations(new PendingEditGuard(writer, Neo4jTarget.of(driver), MAPPING));
      GraphWriteActivities guard = guarded.newActivityStub(GraphWriteActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());

      // before the hold, the change waits (retryable BackflowPending); held and marked handled, it finishes unwritten
      assertThatThrownBy(() -> guard.applyToGraph(postgresChange)).hasStackTraceContaining("BackflowPending");
      stamps.holdForDecision(write.conflict());
      activities.stampGraph(change(id, tenant, 1), null);
      GraphApplyResult held = guard.applyToGraph(postgresChange);
      assertThat(held.applied()).isFalse();
      assertThat(held.detail()).contains("held for the open conflict resolve/Concept/" + id, "pg_version 2");
      assertThat(node("Concept", id)).containsEntry("name", "changed in the graph")
          .containsEntry("backflowHold", "resolve/Concept/" + id).containsEntry("pgVersion", 1L);

      // the batch path routes it to its own (guarded) sync; another entity's change is written by the batch
      List<List<String>> batched = new ArrayList<>();
      PendingEditBatchGuard batchGuard = new PendingEditBatchGuard(new BatchSyncActivities() {
        @Override
        public List<BatchItemResult> applyBatchToGraph(List<ChangeEvent> events) {
          batched.add(events.stream().map(ChangeEvent::entityId).toList());
          return events.stream().map(e -> new BatchItemResult(e.eventId(), true, null, null)).toList();
        }

        @Override
        public int recordBatchSyncStatus(List<SyncStatusUpdate> updates) {
          return 0;
        }
      }, Neo4jTarget.of(driver), MAPPING);
      String other = insertConcept(tenant, "other");
      ChangeEvent otherChange = rowChange(other);
      List<BatchItemResult> results = batchGuard.applyBatchToGraph(List.of(postgresChange, otherChange));
      assertThat(batched).containsExactly(List.of(other));
      assertThat(results).extracting(BatchItemResult::eventId)
          .containsExactly(postgresChange.eventId(), otherChange.eventId());
      assertThat(results.get(0).failed()).isTrue();
      assertThat(results.get(0).error()).contains("held for the open conflict resolve/Concept/" + id);
      assertThat(results.get(1).applied()).isTrue();

      // the decision releases the hold (once): the change is written as any other
      assertThat(stamps.releaseHold(write.conflict())).isTrue();
      assertThat(stamps.releaseHold(write.conflict())).isFalse();
      assertThat(guard.applyToGraph(postgresChange).applied()).isTrue();
      assertThat(node("Concept", id)).containsEntry("name", "changed in postgres").containsEntry("pgVersion", 2L)
          .doesNotContainKey("backflowHold");
    } finally {
      guarded.close();
    }
  }

  // --- relationships computed in the graph --------------------------------------------------------------------

  @Test
  void givenARelationshipComputedInTheGraph_whenWritten_itUpsertsTheJoinRow() throws Exception {
    String tenant = insertTenant();
    String a = insertConcept(tenant, "a");
    String b = insertConcept(tenant, "b");
    syncFromRow(a);
    syncFromRow(b);
    cypher("MATCH (a:Concept {id: $a}), (b:Concept {id: $b}) CREATE (a)-[:RELATED_TO {score: 0.42, "
        + "neo4jVersion: 1, neo4jModifiedAt: datetime()}]->(b)", Map.of("a", a, "b", b));
    BackflowActivitiesImpl activities = activities(ConflictPolicy.POSTGRES_WINS);
    GraphChange change = new GraphChange("RELATED_TO", true, "concept_relations", a + "|" + b, tenant, 1,
        Instant.now());

    BackflowWrite write = activities.writeToPostgres(change);
    activities.stampGraph(change, write.pgVersion());

    assertThat(write.outcome()).isEqualTo(BackflowOutcome.WRITTEN);
    assertThat(row("SELECT score, tenant_id::text AS tenant, sync_origin FROM concept_relations "
        + "WHERE concept_id = ?::uuid AND related_concept_id = ?::uuid", a, b)).containsEntry("score", 0.42)
        .containsEntry("tenant", tenant).containsEntry("sync_origin", "neo4j:1");

    cypher("MATCH (:Concept {id: $a})-[r:RELATED_TO]->(:Concept {id: $b}) SET r.score = 0.5, "
        + "r.neo4jVersion = 2, r.neo4jModifiedAt = datetime()", Map.of("a", a, "b", b));
    assertThat(activities.writeToPostgres(new GraphChange("RELATED_TO", true, "concept_relations", a + "|" + b,
        tenant, 2, Instant.now())).outcome()).isEqualTo(BackflowOutcome.WRITTEN);
    assertThat(row("SELECT score, sync_origin FROM concept_relations WHERE concept_id = ?::uuid "
        + "AND related_concept_id = ?::uuid", a, b)).containsEntry("score", 0.5)
        .containsEntry("sync_origin", "neo4j:2");
  }

  // --- the poll -----------------------------------------------------------------------------------------------

  @Test
  void givenChangesOnBothSidesOfTheWatermark_whenPolled_itReturnsOnlyUnsyncedChangesSinceIt() throws Exception {
    String tenant = insertTenant();
    String old = UUID.randomUUID().toString();
    String fresh = UUID.randomUUID().toString();
    String synced = UUID.randomUUID().toString();
    cypher("CREATE (:Concept {id: $id, tenantId: $t, name: 'old', neo4jVersion: 1, "
        + "neo4jModifiedAt: datetime() - duration('PT1H')})", Map.of("id", old, "t", tenant));
    cypher("CREATE (:Concept {id: $id, tenantId: $t, name: 'fresh', neo4jVersion: 1, neo4jModifiedAt: datetime()})",
        Map.of("id", fresh, "t", tenant));
    cypher("CREATE (:Concept {id: $id, tenantId: $t, name: 'synced', neo4jVersion: 1, backflowVersion: 1, "
        + "neo4jModifiedAt: datetime()})", Map.of("id", synced, "t", tenant));
    Instant watermark = Instant.now().minusSeconds(60);

    PollResult result = activities(ConflictPolicy.POSTGRES_WINS).pollChanges(new PollRequest(watermark, 1000, 1000));

    assertThat(result.changes()).extracting(GraphChange::entityId).contains(fresh).doesNotContain(old, synced);
    GraphChange found = result.changes().stream().filter(c -> c.entityId().equals(fresh)).findFirst().orElseThrow();
    assertThat(found.tenantId()).isEqualTo(tenant);
    assertThat(found.workflowId()).isEqualTo("backflow/Concept/" + fresh + "/1");
    assertThat(result.watermark()).isAfterOrEqualTo(found.modifiedAt());
    assertThat(explain("MATCH (n:Concept) WHERE n.neo4jModifiedAt >= $since RETURN n"))
        .contains("NodeIndexSeekByRange");
  }

  // --- the echo of the back-flow's own write ------------------------------------------------------------------

  @Test
  void givenTheEchoOfABackflowWrite_whenTheNodeWasEditedAgain_itStampsOnlyAndKeepsTheNewerEdit() throws Exception {
    String tenant = insertTenant();
    String id = UUID.randomUUID().toString();
    cypher("CREATE (c:Concept {id: $id, tenantId: $tenant, name: 'v1', neo4jVersion: 1, "
        + "neo4jModifiedAt: datetime()})", Map.of("id", id, "tenant", tenant));
    BackflowActivitiesImpl activities = activities(ConflictPolicy.POSTGRES_WINS);
    activities.stampGraph(change(id, tenant, 1), activities.writeToPostgres(change(id, tenant, 1)).pgVersion());
    editInGraph(id, "v2 in the graph");

    assertThat(stamps.stampFromPostgres(echo(id)).applied()).isTrue();

    assertThat(node("Concept", id)).containsEntry("name", "v2 in the graph").containsEntry("neo4jVersion", 2L)
        .containsEntry("pgVersion", 1L).containsKey("syncPosition");
  }

  @Test
  void givenTheEchoOfABackflowWrite_whenAnOlderPostgresChangeOverwroteTheNode_itAppliesTheRow() throws Exception {
    String tenant = insertTenant();
    String id = UUID.randomUUID().toString();
    cypher("CREATE (c:Concept {id: $id, tenantId: $tenant, name: 'from the graph', neo4jVersion: 1, "
        + "neo4jModifiedAt: datetime()})", Map.of("id", id, "tenant", tenant));
    BackflowActivitiesImpl activities = activities(ConflictPolicy.POSTGRES_WINS);
    activities.stampGraph(change(id, tenant, 1), activities.writeToPostgres(change(id, tenant, 1)).pgVersion());
    cypher("MATCH (c:Concept {id: $id}) SET c.name = 'stale content'", Map.of("id", id));

    assertThat(stamps.stampFromPostgres(echo(id)).applied()).isTrue();

    assertThat(node("Concept", id)).containsEntry("name", "from the graph").containsEntry("neo4jVersion", 1L);
  }

  // --- enforced optimistic locking ----------------------------------------------------------------------------

  @Test
  void givenEnforcedVersions_whenAnUpdateSuppliesAStalePgVersion_itIsRejected() throws Exception {
    String table = "locked_" + UUID.randomUUID().toString().substring(0, 8);
    execute("CREATE TABLE " + table + " (id int PRIMARY KEY, title text)");
    execute("SELECT graphsync.enable_sync('" + table + "', true)");
    execute("INSERT INTO " + table + " (id, title) VALUES (1, 'a')");

    execute("UPDATE " + table + " SET title = 'b', pg_version = 1 WHERE id = 1");
    assertThat(row("SELECT title, pg_version FROM " + table)).containsEntry("title", "b")
        .containsEntry("pg_version", 2L);
    assertThatThrownBy(() -> execute("UPDATE " + table + " SET title = 'lost', pg_version = 1 WHERE id = 1"))
        .isInstanceOf(SQLException.class).hasMessageContaining("stale pg_version")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("40001"));
    execute("UPDATE " + table + " SET pg_version = pg_version + 1, title = 'c' WHERE id = 1 AND pg_version = 2");
    execute("UPDATE " + table + " SET sync_status = 'SUCCESS', pg_version = 1 WHERE id = 1");
    assertThat(row("SELECT title, pg_version FROM " + table)).containsEntry("title", "c")
        .containsEntry("pg_version", 1L);

    execute("SELECT graphsync.enable_sync('" + table + "', false)");
    execute("UPDATE " + table + " SET title = 'd', pg_version = 0 WHERE id = 1");
    execute("DROP TABLE " + table);
  }

  // --- helpers ------------------------------------------------------------------------------------------------

  private static GraphChange change(String id, String tenant, long version) {
    return new GraphChange("Concept", false, "concepts", id, tenant, version, Instant.now());
  }

  /** The capture's change for the row as it is now (the back-flow wrote it: sync_origin is in its data). */
  private static ChangeEvent echo(String id) throws SQLException {
    Map<String, Object> data = new HashMap<>(rows.read("concepts", id).orElseThrow());
    data.put("sync_origin", row("SELECT sync_origin FROM concepts WHERE id = ?::uuid", id).get("sync_origin"));
    long position = currentWalPosition();
    return ChangeEvent.builder(EventSource.NEO4J, EventType.CREATE).entity("concepts", "Concept", id)
        .correlationId("tx").timestamp(Instant.now()).data(data).version(((Number) data.get("pg_version")).longValue())
        .position(position).build();
  }

  /** The capture's change for the row as it is now, made in PostgreSQL. */
  private static ChangeEvent rowChange(String id) throws SQLException {
    Map<String, Object> data = rows.read("concepts", id).orElseThrow();
    return ChangeEvent.builder(EventSource.POSTGRES, EventType.UPDATE).entity("concepts", "Concept", id)
        .correlationId("tx").timestamp(Instant.now()).data(data).version(((Number) data.get("pg_version")).longValue())
        .position(currentWalPosition()).build();
  }

  private static void editInGraph(String id, String name) {
    cypher("MATCH (c:Concept {id: $id}) SET c.name = $name, c.neo4jVersion = coalesce(c.neo4jVersion, 0) + 1, "
        + "c.neo4jModifiedAt = datetime()", Map.of("id", id, "name", name));
  }

  private static void syncFromRow(String id) throws SQLException {
    Map<String, Object> data = rows.read("concepts", id).orElseThrow();
    long position = currentWalPosition();
    assertThat(graphWriter.applyToGraph(ChangeEvent.builder(EventSource.POSTGRES, EventType.CREATE)
        .entity("concepts", "Concept", id).correlationId("tx").timestamp(Instant.now()).data(data)
        .version(((Number) data.get("pg_version")).longValue()).position(position).build()).applied()).isTrue();
  }

  private static long currentWalPosition() throws SQLException {
    return (Long) row("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint AS lsn").get("lsn");
  }

  private static String insertTenant() throws SQLException {
    String id = UUID.randomUUID().toString();
    execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'tenant')", id);
    return id;
  }

  private static String insertConcept(String tenant, String name) throws SQLException {
    String id = UUID.randomUUID().toString();
    execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, ?)", id, tenant, name);
    return id;
  }

  private static Map<String, Object> node(String label, String id) {
    Map<String, Object> node = new HashMap<>(driver.executableQuery("MATCH (n:`" + label
        + "` {id: $id}) RETURN properties(n) AS p").withParameters(Map.of("id", id)).execute().records().get(0)
        .get("p").asMap());
    node.replaceAll((key, value) -> value instanceof ZonedDateTime zoned ? zoned.toInstant() : value);
    return node;
  }

  private static String explain(String query) {
    return driver.executableQuery("EXPLAIN " + query).withParameters(Map.of("since", ZonedDateTime.now()))
        .execute().summary().plan().toString();
  }

  private static void cypher(String statement, Map<String, Object> parameters) {
    driver.executableQuery(statement).withParameters(parameters).execute();
  }

  private static Map<String, Object> row(String query, Object... args) throws SQLException {
    return sql.row(query, args).orElseThrow(() -> new AssertionError("no row: " + query));
  }

  private static void execute(String statement, Object... args) throws SQLException {
    sql.execute(statement, args);
  }

}
