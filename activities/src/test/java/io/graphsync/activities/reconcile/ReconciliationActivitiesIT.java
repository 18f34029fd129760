package io.graphsync.activities.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import io.graphsync.activities.neo4j.GraphSchemaInitializer;
import io.graphsync.activities.neo4j.GraphWriteActivitiesImpl;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.reconcile.ComparisonRequest;
import io.graphsync.workflows.reconcile.ComparisonResult;
import io.graphsync.workflows.reconcile.Finding;
import io.graphsync.workflows.reconcile.FindingAction;
import io.graphsync.workflows.reconcile.FindingType;
import io.graphsync.workflows.reconcile.RecheckResult;
import io.graphsync.workflows.reconcile.ReconciliationActivities;
import io.graphsync.workflows.reconcile.ReconciliationCounts;
import io.graphsync.workflows.reconcile.ReconciliationRun;
import io.graphsync.workflows.reconcile.ReconciliationSummary;
import io.graphsync.workflows.reconcile.RecordedFinding;
import io.graphsync.workflows.resolve.PropertyDifference;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.GraphWriteActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;

/**
 * The comparison against a real PostgreSQL and a real Neo4j. The graph is first written by the real graph writer
 * (rows re-read from PostgreSQL, as a sync does), then drift is made by hand on one side. The servers are shared by
 * every test of the JVM, so each test works in a fresh tenant and compares with that tenant scope.
 */
@ExtendWith(GraphsyncExtension.class)
class ReconciliationActivitiesIT {

  private static final GraphMapping MAPPING = ResolvedContextNexus.mapping();
  private static final AtomicLong POSITIONS = new AtomicLong(1_000);

  private static DataSource dataSource;
  private static Sql sql;
  private static Driver driver;
  private static TestActivityEnvironment temporal;
  private static GraphWriteActivities graphWriter;
  private static ReconciliationActivitiesImpl activities;

  @BeforeAll
  static void connect(Sql migrated, Driver graph) {
    sql = migrated;
    dataSource = migrated.dataSource();
    driver = graph;
    activities = new ReconciliationActivitiesImpl(dataSource, Neo4jTarget.of(driver), MAPPING);
    temporal = TestActivityEnvironment.newInstance();
    temporal.registerActivitiesImplementations(
        new GraphWriteActivitiesImpl(Neo4jTarget.of(driver), MAPPING, new SourceRowReader(dataSource, MAPPING)));
    graphWriter = temporal.newActivityStub(GraphWriteActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  @AfterAll
  static void close() {
    temporal.close();
  }

  /** A tenant in sync (row and node), with users in sync. */
  private record Seeded(String tenant, List<String> users) {}

  private static Seeded tenantWithUsers(int users) throws SQLException {
    String tenant = UUID.randomUUID().toString();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 'tenant')", tenant);
    sync("tenants", tenant);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      String id = UUID.randomUUID().toString();
      sql.execute("INSERT INTO users (id, tenant_id, email, display_name, roles, created_at) VALUES "
          + "(?::uuid, ?::uuid, ?, 'User " + i + "', '{reader,writer}', '2026-01-02 03:04:05.123456+01')",
          id, tenant, "u" + i + "@example.org");
      sync("users", id);
      ids.add(id);
    }
    ids.sort(null);
    return new Seeded(tenant, ids);
  }

  /** Writes the row to the graph as a sync of it does: a CREATE whose row is re-read from PostgreSQL. */
  private static void sync(String table, String entityId) {
    String entityType = MAPPING.table(table).map(t -> t.label())
        .orElseGet(() -> MAPPING.joinTable(table).orElseThrow().type());
    long position = POSITIONS.incrementAndGet();
    graphWriter.applyToGraph(ChangeEvent.builder(EventSource.POSTGRES, EventType.CREATE)
        .entity(table, entityType, entityId).timestamp(Instant.now()).position(position).dataOmitted(true).build());
  }

  private static ComparisonResult compareAll(String table, String tenant, int pageSize) {
    List<ComparisonResult> heartbeats = new ArrayList<>();
    ComparisonResult result = activities.compare(new ComparisonRequest(table, tenant, null, pageSize, 1_000, 1_000),
        null, heartbeats::add);
    assertThat(result.done()).isTrue();
    assertThat(heartbeats).hasSize(result.pages());
    return result;
  }

  @Test
  void givenATenantInSync_whenCompared_itFindsNothingPageByPage() throws SQLException {
    Seeded seeded = tenantWithUsers(5);

    ComparisonResult users = compareAll("users", seeded.tenant(), 2);

    assertThat(users.candidates()).isEmpty();
    assertThat(users.rows()).isEqualTo(5);
    assertThat(users.nodes()).isEqualTo(5);
    assertThat(users.pages()).isEqualTo(3);
    assertThat(compareAll("tenants", seeded.tenant(), 2).candidates()).isEmpty();
  }

  @Test
  void givenDriftOfEachKind_whenCompared_itFindsExactlyIt() throws SQLException {
    Seeded seeded = tenantWithUsers(7);
    String tenant = seeded.tenant();
    List<String> u = seeded.users();
    String missing = UUID.randomUUID().toString();
    sql.execute("INSERT INTO users (id, tenant_id, email) VALUES (?::uuid, ?::uuid, 'missing@example.org')", missing,
        tenant);
    sql.execute("DELETE FROM users WHERE id = ?::uuid", u.get(0));                                    // orphan, synced
    String graphBorn = UUID.randomUUID().toString();
    cypher("CREATE (:User {id: $id, pgId: $id, tenantId: $tenant, neo4jVersion: 0, email: 'x'})",
        Map.of("id", graphBorn, "tenant", tenant));                                                // orphan, not synced
    sql.execute("UPDATE users SET display_name = 'renamed' WHERE id = ?::uuid", u.get(1));            // stale
    cypher("MATCH (n:User {id: $id}) SET n.email = 'edited@graph', n.neo4jVersion = 1",
        Map.of("id", u.get(2)));                                                                   // same version
    cypher("MATCH (n:User {id: $id}) SET n.pgVersion = 5", Map.of("id", u.get(3)));               // node ahead
    cypher("MATCH (n:User {id: $id}) SET n.roles = ['admin'], n.pgVersion = 7", Map.of("id", u.get(4)));
    cypher("MATCH (:User {id: $id})-[r:BELONGS_TO]->() DELETE r", Map.of("id", u.get(5)));       // relationship

    ComparisonResult result = compareAll("users", tenant, 3);

    assertThat(result.candidates())
        .extracting(Finding::type, Finding::entityId, Finding::syncedFromPostgres)
        .containsExactlyInAnyOrder(
            tuple(FindingType.MISSING_IN_NEO4J, missing, false),
            tuple(FindingType.ORPHAN_IN_NEO4J, u.get(0), true),
            tuple(FindingType.ORPHAN_IN_NEO4J, graphBorn, false),
            tuple(FindingType.STALE_VERSION, u.get(1), true),
            tuple(FindingType.ATTRIBUTE_MISMATCH, u.get(2), true),
            tuple(FindingType.STALE_VERSION, u.get(3), true),
            tuple(FindingType.ATTRIBUTE_MISMATCH, u.get(4), true),
            tuple(FindingType.RELATIONSHIP_MISMATCH, u.get(5), true));
    Finding sameVersion = find(result.candidates(), u.get(2));
    assertThat(sameVersion.sameVersionConflict()).isTrue();
    assertThat(sameVersion.postgresHash()).isNotEqualTo(sameVersion.neo4jHash());
    assertThat(find(result.candidates(), u.get(4)).sameVersionConflict()).isFalse();
    Finding relationship = find(result.candidates(), u.get(5));
    assertThat(relationship.relationships()).singleElement().satisfies(d -> {
      assertThat(d.type()).isEqualTo("BELONGS_TO");
      assertThat(d.expected()).containsExactly(tenant);
      assertThat(d.found()).isEmpty();
    });
    assertThat(find(result.candidates(), missing).rowVersion()).isEqualTo(1L);
    assertThat(result.candidates()).allSatisfy(c -> assertThat(c.tenantId()).isEqualTo(tenant));
  }

  @Test
  void givenJoinRowsAndRelationshipsApart_whenCompared_itFindsRelationshipMismatches() throws SQLException {
    Seeded seeded = tenantWithUsers(0);
    String tenant = seeded.tenant();
    String item = UUID.randomUUID().toString();
    sql.execute("INSERT INTO content_items (id, tenant_id, title) VALUES (?::uuid, ?::uuid, 'item')", item, tenant);
    sync("content_items", item);
    List<String> concepts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String concept = UUID.randomUUID().toString();
      sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, 'c')", concept, tenant);
      sync("concepts", concept);
      sql.execute("INSERT INTO content_item_concepts (content_item_id, concept_id, tenant_id, weight) "
          + "VALUES (?::uuid, ?::uuid, ?::uuid, 0.5)", item, concept, tenant);
      sync("content_item_concepts", item + "|" + concept);
      concepts.add(concept);
    }
    concepts.sort(null);
    String notInGraph = item + "|" + concepts.get(0);
    String orphan = item + "|" + concepts.get(1);
    String weight = item + "|" + concepts.get(2);
    cypher("MATCH (:ContentItem {id: $from})-[r:MENTIONS]->(:Concept {id: $to}) DELETE r",
        Map.of("from", item, "to", concepts.get(0)));
    sql.execute("DELETE FROM content_item_concepts WHERE content_item_id = ?::uuid AND concept_id = ?::uuid", item,
        concepts.get(1));
    cypher("MATCH (:ContentItem {id: $from})-[r:MENTIONS]->(:Concept {id: $to}) SET r.weight = 0.25",
        Map.of("from", item, "to", concepts.get(2)));

    ComparisonResult result = compareAll("content_item_concepts", tenant, 2);

    assertThat(result.candidates())
        .extracting(Finding::type, Finding::entityId, Finding::inPostgres, Finding::inNeo4j)
        .containsExactlyInAnyOrder(
            tuple(FindingType.RELATIONSHIP_MISMATCH, notInGraph, true, false),
            tuple(FindingType.RELATIONSHIP_MISMATCH, orphan, false, true),
            tuple(FindingType.RELATIONSHIP_MISMATCH, weight, true, true));
    assertThat(find(result.candidates(), orphan).syncedFromPostgres()).isTrue();
    assertThat(result.candidates()).allSatisfy(c -> assertThat(c.entityType()).isEqualTo("MENTIONS"));
  }

  @Test
  void givenCandidates_whenRecheckedAfterAChange_itConfirmsOnlyTheUnchangedWithDetails() throws SQLException {
    Seeded seeded = tenantWithUsers(3);
    List<String> u = seeded.users();
    sql.execute("UPDATE users SET display_name = 'renamed' WHERE id = ?::uuid", u.get(0));
    cypher("MATCH (n:User {id: $id}) SET n.email = 'edited@graph', n.neo4jVersion = 1", Map.of("id", u.get(1)));
    sql.execute("UPDATE users SET display_name = 'renamed too' WHERE id = ?::uuid", u.get(2));
    List<Finding> candidates = compareAll("users", seeded.tenant(), 10).candidates();
    assertThat(candidates).hasSize(3);
    long before = walPosition();
    sync("users", u.get(0));                                                 // the sync that was in flight
    sql.execute("UPDATE users SET display_name = 'renamed again' WHERE id = ?::uuid", u.get(2));   // a newer version

    RecheckResult result = activities.recheck(candidates);

    assertThat(result.inFlight()).isEqualTo(2);
    assertThat(result.position()).isGreaterThanOrEqualTo(before);
    assertThat(result.confirmed()).singleElement().satisfies(conflict -> {
      assertThat(conflict.entityId()).isEqualTo(u.get(1));
      assertThat(conflict.sameVersionConflict()).isTrue();
      assertThat(conflict.neo4jVersion()).isEqualTo(1L);
      String email = (String) conflict.differences().get(0).postgres();
      assertThat(email).matches("u\\d@example.org");
      assertThat(conflict.differences()).containsExactly(new PropertyDifference("email", email, "edited@graph"));
      assertThat(conflict.postgres()).containsEntry("email", email)
          .containsEntry("displayName", "User " + email.charAt(1))
          .containsEntry("roles", List.of("reader", "writer")).containsEntry("createdAt", "2026-01-02T02:04:05.123456Z")
          .containsEntry("tenantId", seeded.tenant());
      assertThat(conflict.neo4j()).containsEntry("email", "edited@graph");
    });
  }

  @Test
  void givenHeartbeatDetails_whenTheComparisonIsRetried_itResumesAfterTheHeartbeatsCursor() throws SQLException {
    Seeded seeded = tenantWithUsers(6);
    List<String> u = seeded.users();
    sql.execute("UPDATE users SET display_name = 'renamed' WHERE id = ANY(?::uuid[])",
        "{" + u.get(1) + "," + u.get(4) + "}");
    // the crashed attempt had compared two pages (u0..u3) and found u1
    Finding before = compareAll("users", seeded.tenant(), 10).candidates().get(0);
    ComparisonResult heartbeat = new ComparisonResult("users", u.get(3), false, 2, 4, 4, List.of(before));
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      environment.registerActivitiesImplementations(activities);
      environment.setHeartbeatDetails(heartbeat);
      List<ComparisonResult> heartbeats = new ArrayList<>();
      environment.setActivityHeartbeatListener(ComparisonResult.class, heartbeats::add);
      ReconciliationActivities stub = environment.newActivityStub(ReconciliationActivities.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1))
              .setHeartbeatTimeout(Duration.ofSeconds(30)).build());

      ComparisonResult result = stub.compare(new ComparisonRequest("users", seeded.tenant(), null, 2, 100, 100));

      assertThat(result.done()).isTrue();
      // two more pages: u4 and u5 (full, so one more to see the end), then the empty one
      assertThat(result.pages()).isEqualTo(4);
      assertThat(result.rows()).isEqualTo(6);
      assertThat(result.candidates()).extracting(Finding::entityId).containsExactly(u.get(1), u.get(4));
      // (the test environment may drop the last heartbeat of a completing attempt: only the first is certain)
      assertThat(heartbeats).first().satisfies(first -> {
        assertThat(first.nextKey()).isEqualTo(u.get(5));
        assertThat(first.pages()).isEqualTo(3);
      });
    } finally {
      environment.close();
    }
  }

  @Test
  void givenARun_whenFindingsAreRecordedTwice_itKeepsOneRowPerEntityWithActionAndDetail() throws SQLException {
    String workflowId = "reconcile/it-" + UUID.randomUUID();
    ReconciliationRun run = activities.beginRun(workflowId, "run-1", List.of(), null);
    ReconciliationRun again = activities.beginRun(workflowId, "run-1", List.of(), null);
    Seeded seeded = tenantWithUsers(1);
    sql.execute("UPDATE users SET display_name = 'renamed' WHERE id = ?::uuid", seeded.users().get(0));
    Finding stale = activities.recheck(compareAll("users", seeded.tenant(), 10).candidates()).confirmed().get(0);
    RecordedFinding recorded = new RecordedFinding(stale, FindingAction.REPAIR_STARTED,
        "sync/User/" + stale.entityId() + "/77", 77L);

    activities.recordFindings(run.runId(), List.of(recorded));
    activities.recordFindings(run.runId(), List.of(recorded));
    activities.finishRun(run.runId(), new ReconciliationSummary(run.runId(), run.tables(), null,
        ReconciliationCounts.ZERO, 1, Instant.now(), Instant.now()));

    assertThat(again.runId()).isEqualTo(run.runId());
    assertThat(run.tables()).containsExactly("tenants", "users", "threads", "messages", "content_items", "concepts",
        "content_item_concepts", "concept_relations");
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement("""
             SELECT f.finding_type, f.entity_id, f.tenant_id, f.action, f.workflow_id, f.repair_position,
                    f.detail->>'rowVersion', f.detail->'differences'->0->>'property', r.status, r.summary->>'runId'
             FROM graphsync.reconciliation_finding f JOIN graphsync.reconciliation_run r ON r.id = f.run_id
             WHERE f.run_id = ?""")) {
      statement.setLong(1, run.runId());
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("STALE_VERSION");
        assertThat(rows.getString(2)).isEqualTo(stale.entityId());
        assertThat(rows.getString(3)).isEqualTo(seeded.tenant());
        assertThat(rows.getString(4)).isEqualTo("REPAIR_STARTED");
        assertThat(rows.getString(5)).isEqualTo("sync/User/" + stale.entityId() + "/77");
        assertThat(rows.getLong(6)).isEqualTo(77L);
        assertThat(rows.getString(7)).isEqualTo("2");
        assertThat(rows.getString(8)).isEqualTo("displayName");
        assertThat(rows.getString(9)).isEqualTo("FINISHED");
        assertThat(rows.getString(10)).isEqualTo(String.valueOf(run.runId()));
        assertThat(rows.next()).isFalse();
      }
    }
  }

  @Test
  void givenAnEarlierRepairOfTheSameVersion_whenItHasNotReachedTheGraph_theRecheckMarksItPending() throws SQLException {
    Seeded seeded = tenantWithUsers(2);
    List<String> u = seeded.users();
    sql.execute("UPDATE users SET display_name = 'renamed' WHERE id = ANY(?::uuid[])",
        "{" + u.get(0) + "," + u.get(1) + "}");
    List<Finding> candidates = compareAll("users", seeded.tenant(), 10).candidates();
    ReconciliationRun run = activities.beginRun("reconcile/it-" + UUID.randomUUID(), "run-1", List.of("users"),
        seeded.tenant());
    // u0: repaired at a position above the node's (never applied); u1: at a position below it (it was applied)
    activities.recordFindings(run.runId(), List.of(
        new RecordedFinding(candidates.get(0), FindingAction.REPAIR_STARTED, "sync/User/" + u.get(0) + "/x",
            Long.MAX_VALUE),
        new RecordedFinding(candidates.get(1), FindingAction.REPAIR_STARTED, "sync/User/" + u.get(1) + "/y", 1L)));

    RecheckResult result = activities.recheck(candidates);

    assertThat(result.confirmed()).extracting(Finding::entityId, Finding::pendingRepair).containsExactly(
        tuple(u.get(0), "sync/User/" + u.get(0) + "/x"), tuple(u.get(1), null));
  }

  @Test
  void givenANodeUnderAnotherTenant_whenEitherTenantIsCompared_itIsADifferenceNotMissingAndOrphan()
      throws SQLException {
    Seeded seeded = tenantWithUsers(1);
    String user = seeded.users().get(0);
    String other = UUID.randomUUID().toString();
    cypher("MATCH (n:User {id: $id}) SET n.tenantId = $other", Map.of("id", user, "other", other));

    List<Finding> fromRowsTenant = compareAll("users", seeded.tenant(), 10).candidates();
    List<Finding> fromNodesTenant = compareAll("users", other, 10).candidates();

    assertThat(fromRowsTenant).extracting(Finding::type, Finding::entityId, Finding::tenantId)
        .containsExactly(tuple(FindingType.ATTRIBUTE_MISMATCH, user, seeded.tenant()));
    assertThat(fromNodesTenant).isEqualTo(fromRowsTenant);
    assertThat(activities.recheck(fromRowsTenant).confirmed()).singleElement().satisfies(finding ->
        assertThat(finding.differences()).containsExactly(new PropertyDifference("tenantId", seeded.tenant(), other)));
  }

  @Test
  void givenIntegerKeys_whenCompared_bothSidesPageInTextOrder() throws SQLException {
    String table = "recon_numbered_" + Long.toHexString(System.nanoTime());
    sql.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, tenant_id uuid, name text NOT NULL)");
    sql.execute("SELECT graphsync.enable_sync(?::regclass)", table);
    GraphMapping numbered = new GraphMapping(List.of(new io.graphsync.workflows.mapping.TableMapping(table,
        "Numbered", "id", "tenant_id", List.of("name"), List.of(), Map.of(),
        Map.of("name", io.graphsync.workflows.mapping.Conversion.STRING), List.of())), List.of());
    new GraphSchemaInitializer(Neo4jTarget.of(driver)).initialize(numbered);
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      environment.registerActivitiesImplementations(
          new GraphWriteActivitiesImpl(Neo4jTarget.of(driver), numbered, new SourceRowReader(dataSource, numbered)));
      GraphWriteActivities writer = environment.newActivityStub(GraphWriteActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30)).build());
      String tenant = UUID.randomUUID().toString();
      for (int id = 1; id <= 12; id++) {
        sql.execute("INSERT INTO " + table + " (id, tenant_id, name) VALUES (?, ?::uuid, ?)", (long) id, tenant,
            "n" + id);
        if (id != 9) {
          long position = POSITIONS.incrementAndGet();
          writer.applyToGraph(ChangeEvent.builder(EventSource.POSTGRES, EventType.CREATE)
              .entity(table, "Numbered", "" + id).timestamp(Instant.now()).position(position).dataOmitted(true)
              .build());
        }
      }
      sql.execute("UPDATE " + table + " SET name = 'renamed' WHERE id = 10");
      ReconciliationActivitiesImpl compared =
          new ReconciliationActivitiesImpl(dataSource, Neo4jTarget.of(driver), numbered);
      List<String> cursors = new ArrayList<>();

      ComparisonResult result = compared.compare(new ComparisonRequest(table, tenant, null, 3, 100, 100), null,
          progress -> cursors.add(progress.nextKey()));

      // numeric order would put 2 after 1 and find 10, 11, 12 "missing" on one side and "orphaned" on the other
      assertThat(cursors).containsExactly("11", "3", "6", "9", null);
      assertThat(result.rows()).isEqualTo(12);
      assertThat(result.candidates()).extracting(Finding::type, Finding::entityId).containsExactlyInAnyOrder(
          tuple(FindingType.STALE_VERSION, "10"), tuple(FindingType.MISSING_IN_NEO4J, "9"));
    } finally {
      environment.close();
    }
  }

  @Test
  void givenMalformedGraphDataNextToOrdinaryDrift_whenComparedAndRechecked_allOfItIsAFindingWithAClearReason()
      throws SQLException {
    Seeded seeded = tenantWithUsers(3);
    String tenant = seeded.tenant();
    List<String> u = seeded.users();
    String item = UUID.randomUUID().toString();
    String wrongTypes = UUID.randomUUID().toString();
    String textVersion = UUID.randomUUID().toString();
    for (String id : List.of(item, wrongTypes, textVersion)) {
      sql.execute("INSERT INTO content_items (id, tenant_id, title, score, tags) VALUES "
          + "(?::uuid, ?::uuid, 'item', 0.5, '{a,b}')", id, tenant);
      sync("content_items", id);
    }
    List<String> concepts = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String concept = UUID.randomUUID().toString();
      sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES (?::uuid, ?::uuid, 'c')", concept, tenant);
      sync("concepts", concept);
      sql.execute("INSERT INTO content_item_concepts (content_item_id, concept_id, tenant_id, weight) "
          + "VALUES (?::uuid, ?::uuid, ?::uuid, 0.5)", item, concept, tenant);
      sync("content_item_concepts", item + "|" + concept);
      concepts.add(concept);
    }
    // ordinary drift: a deleted row, a property edited in the graph, a join row whose relationship was deleted
    sql.execute("DELETE FROM users WHERE id = ?::uuid", u.get(0));
    cypher("MATCH (n:User {id: $id}) SET n.email = 'edited@graph', n.neo4jVersion = 1", Map.of("id", u.get(1)));
    cypher("MATCH (:ContentItem {id: $from})-[r:MENTIONS]->(:Concept {id: $to}) DELETE r",
        Map.of("from", item, "to", concepts.get(0)));
    // malformed graph data: ids that are no key of their table, values of the wrong type
    Map<String, Object> scope = Map.of("tenant", tenant, "item", item);
    cypher("CREATE (:User {id: 'orphan-1', tenantId: $tenant, email: 'made by hand'})", scope);
    cypher("CREATE (:User {id: $id, tenantId: $tenant, email: 'upper case'})",
        Map.of("id", u.get(2).toUpperCase(), "tenant", tenant));
    cypher("CREATE (:User {id: 'synced-by-hand', tenantId: $tenant, syncPosition: 3, pgVersion: 1})", scope);
    cypher("MATCH (i:ContentItem {id: $item}) CREATE (i)-[:MENTIONS {tenantId: $tenant, weight: 0.1}]->"
        + "(:Concept {id: 'orphan-1', tenantId: $tenant, name: 'by hand'})", scope);
    cypher("MATCH (i:ContentItem {id: $item}) CREATE (i)-[:MENTIONS {tenantId: $tenant}]->"
        + "(:Concept {id: 'a|b', tenantId: $tenant, name: 'pipe'})", scope);
    cypher("MATCH (i:ContentItem {id: $item}) CREATE (:ContentItem {id: 'x|y', tenantId: $tenant})"
        + "-[:MENTIONS {tenantId: $tenant}]->(:Concept {id: 'z', tenantId: $tenant})", scope);
    cypher("CREATE (:User {id: 42, tenantId: $tenant}), (:User {id: ['a', 'b'], tenantId: $tenant})", scope);
    cypher("MATCH (n:ContentItem {id: $id}) SET n.title = ['a', 'b'], n.score = 'high', n.tags = 'solo'",
        Map.of("id", wrongTypes));
    cypher("MATCH (n:ContentItem {id: $id}) SET n.pgVersion = 'seven'", Map.of("id", textVersion));

    List<Finding> candidates = new ArrayList<>();
    for (String table : List.of("users", "content_items", "concepts", "content_item_concepts")) {
      candidates.addAll(compareAll(table, tenant, 2).candidates());
    }
    RecheckResult result = activities.recheck(candidates);

    assertThat(result.inFlight()).isZero();
    List<Finding> confirmed = result.confirmed();
    String upperCase = u.get(2).toUpperCase();
    assertThat(confirmed)
        .extracting(Finding::type, Finding::table, Finding::entityId, Finding::inPostgres, Finding::syncedFromPostgres)
        .containsExactlyInAnyOrder(
            tuple(FindingType.ORPHAN_IN_NEO4J, "users", u.get(0), false, true),
            tuple(FindingType.ATTRIBUTE_MISMATCH, "users", u.get(1), true, true),
            tuple(FindingType.RELATIONSHIP_MISMATCH, "content_item_concepts", item + "|" + concepts.get(0), true,
                false),
            tuple(FindingType.ORPHAN_IN_NEO4J, "users", "orphan-1", false, false),
            tuple(FindingType.ORPHAN_IN_NEO4J, "users", upperCase, false, false),
            tuple(FindingType.ORPHAN_IN_NEO4J, "users", "synced-by-hand", false, true),
            tuple(FindingType.ORPHAN_IN_NEO4J, "concepts", "orphan-1", false, false),
            tuple(FindingType.ORPHAN_IN_NEO4J, "concepts", "a|b", false, false),
            tuple(FindingType.ORPHAN_IN_NEO4J, "concepts", "z", false, false),
            tuple(FindingType.ORPHAN_IN_NEO4J, "content_items", "x|y", false, false),
            tuple(FindingType.RELATIONSHIP_MISMATCH, "content_item_concepts", item + "|orphan-1", false, false),
            tuple(FindingType.RELATIONSHIP_MISMATCH, "content_item_concepts", item + "|a|b", false, false),
            tuple(FindingType.RELATIONSHIP_MISMATCH, "content_item_concepts", "x|y|z", false, false),
            tuple(FindingType.ATTRIBUTE_MISMATCH, "content_items", wrongTypes, true, true),
            tuple(FindingType.STALE_VERSION, "content_items", textVersion, true, true));
    assertThat(find(confirmed, "users", u.get(1))).satisfies(edited -> {
      assertThat(edited.sameVersionConflict()).isTrue();
      assertThat(edited.differences()).singleElement().satisfies(d -> {
        assertThat(d.property()).isEqualTo("email");
        assertThat((String) d.postgres()).matches("u\\d@example.org");
        assertThat(d.neo4j()).isEqualTo("edited@graph");
      });
    });
    assertThat(find(confirmed, "users", u.get(0)).reason()).startsWith("node without a row (synced at position");
    assertThat(find(confirmed, "users", "orphan-1").reason())
        .contains("id is not a valid key of table users (uuid): 'orphan-1'").contains("created in the graph");
    assertThat(find(confirmed, "users", upperCase).reason())
        .contains("id is not a valid key of table users (uuid): '" + upperCase + "'");
    assertThat(find(confirmed, "concepts", "orphan-1").reason())
        .contains("id is not a valid key of table concepts (uuid): 'orphan-1'");
    assertThat(find(confirmed, "content_item_concepts", item + "|orphan-1").reason())
        .contains("concept_id is not a valid key of table content_item_concepts (uuid): 'orphan-1'");
    assertThat(find(confirmed, "content_item_concepts", item + "|a|b").reason())
        .contains("is not <content_item_id>|<concept_id>: an end node's id contains '|'");
    assertThat(find(confirmed, "content_item_concepts", "x|y|z").reason())
        .contains("key 'x|y|z' is not <content_item_id>|<concept_id>: an end node's id contains '|'");
    assertThat(find(confirmed, "content_items", wrongTypes).differences()).containsExactly(
        new PropertyDifference("score", 0.5, "high"),
        new PropertyDifference("tags", List.of("a", "b"), "solo"),
        new PropertyDifference("title", "item", List.of("a", "b")));
    assertThat(find(confirmed, "content_items", textVersion).reason()).contains("pgVersion").contains("'seven'");
    assertThat(confirmed).as("nodes whose id is no text are not compared")
        .noneMatch(f -> f.entityId().equals("42") || f.entityId().contains("["));
    assertThat(confirmed).filteredOn(f -> !f.entityId().startsWith("x|y") && !f.entityId().equals("z"))
        .allSatisfy(f -> assertThat(f.tenantId()).isEqualTo(tenant));
  }

  @Test
  void givenIntegerKeysAndGraphIdsThatAreNoIntegers_whenComparedAndRechecked_theyAreOrphansNextToOrdinaryDrift()
      throws SQLException {
    String table = "recon_malformed_" + Long.toHexString(System.nanoTime());
    sql.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, tenant_id uuid, name text NOT NULL, rank integer)");
    sql.execute("SELECT graphsync.enable_sync(?::regclass)", table);
    GraphMapping numbered = new GraphMapping(List.of(new io.graphsync.workflows.mapping.TableMapping(table,
        "Malformed", "id", "tenant_id", List.of("name", "rank"), List.of(), Map.of(),
        Map.of("name", io.graphsync.workflows.mapping.Conversion.STRING,
            "rank", io.graphsync.workflows.mapping.Conversion.LONG), List.of())), List.of());
    new GraphSchemaInitializer(Neo4jTarget.of(driver)).initialize(numbered);
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      environment.registerActivitiesImplementations(
          new GraphWriteActivitiesImpl(Neo4jTarget.of(driver), numbered, new SourceRowReader(dataSource, numbered)));
      GraphWriteActivities writer = environment.newActivityStub(GraphWriteActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30)).build());
      String tenant = UUID.randomUUID().toString();
      for (int id = 1; id <= 5; id++) {
        sql.execute("INSERT INTO " + table + " (id, tenant_id, name, rank) VALUES (?, ?::uuid, ?, ?)",
            (long) id, tenant, "n" + id, id);
        long position = POSITIONS.incrementAndGet();
        writer.applyToGraph(ChangeEvent.builder(EventSource.POSTGRES, EventType.CREATE)
            .entity(table, "Malformed", "" + id).timestamp(Instant.now()).position(position).dataOmitted(true)
            .build());
      }
      sql.execute("DELETE FROM " + table + " WHERE id = 2");                                        // orphan, synced
      cypher("MATCH (n:Malformed {id: '3'}) DETACH DELETE n", Map.of());                        // missing
      cypher("MATCH (n:Malformed {id: '4'}) SET n.rank = '4'", Map.of());                      // text, not integer
      for (String id : List.of("twelve", "007", "99999999999999999999", "1.5")) {
        cypher("CREATE (:Malformed {id: $id, tenantId: $tenant})", Map.of("id", id, "tenant", tenant));
      }
      ReconciliationActivitiesImpl compared =
          new ReconciliationActivitiesImpl(dataSource, Neo4jTarget.of(driver), numbered);

      ComparisonResult result = compared.compare(new ComparisonRequest(table, tenant, null, 2, 100, 100), null,
          progress -> { });
      RecheckResult recheck = compared.recheck(result.candidates());

      assertThat(result.done()).isTrue();
      assertThat(recheck.inFlight()).isZero();
      assertThat(recheck.confirmed()).extracting(Finding::type, Finding::entityId).containsExactlyInAnyOrder(
          tuple(FindingType.ORPHAN_IN_NEO4J, "2"),
          tuple(FindingType.MISSING_IN_NEO4J, "3"),
          tuple(FindingType.ATTRIBUTE_MISMATCH, "4"),
          tuple(FindingType.ORPHAN_IN_NEO4J, "twelve"),
          tuple(FindingType.ORPHAN_IN_NEO4J, "007"),
          tuple(FindingType.ORPHAN_IN_NEO4J, "99999999999999999999"),
          tuple(FindingType.ORPHAN_IN_NEO4J, "1.5"));
      assertThat(find(recheck.confirmed(), table, "4").differences())
          .containsExactly(new PropertyDifference("rank", 4L, "4"));
      assertThat(find(recheck.confirmed(), table, "twelve").reason())
          .contains("id is not a valid key of table " + table + " (bigint): 'twelve'");
      assertThat(find(recheck.confirmed(), table, "99999999999999999999").reason()).contains("not a valid key");
      assertThat(find(recheck.confirmed(), table, "2").reason()).doesNotContain("not a valid key");
    } finally {
      environment.close();
    }
  }

  private static Finding find(List<Finding> findings, String table, String entityId) {
    return findings.stream().filter(f -> f.table().equals(table) && f.entityId().equals(entityId)).findFirst()
        .orElseThrow(() -> new AssertionError("no finding for " + table + " " + entityId + " in " + findings));
  }

  private static Finding find(List<Finding> findings, String entityId) {
    return findings.stream().filter(f -> f.entityId().equals(entityId)).findFirst().orElseThrow();
  }

  private static long walPosition() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      return ReconciliationActivitiesImpl.walPosition(connection);
    }
  }

  private static void cypher(String text, Map<String, Object> parameters) {
    driver.executableQuery(text).withParameters(parameters).execute();
  }

  @Test
  void givenAGraphBornConceptOnItsWayBack_whenRechecked_itIsInFlightNotDrift() throws SQLException {
    Seeded seeded = tenantWithUsers(0);
    String onItsWay = UUID.randomUUID().toString();
    String handled = UUID.randomUUID().toString();
    cypher("CREATE (:Concept {id: $id, tenantId: $tenant, name: 'new', neo4jVersion: 1, neo4jModifiedAt: datetime()})",
        Map.of("id", onItsWay, "tenant", seeded.tenant()));
    cypher("CREATE (:Concept {id: $id, tenantId: $tenant, name: 'given up', neo4jVersion: 1, backflowVersion: 1, "
        + "neo4jModifiedAt: datetime()})", Map.of("id", handled, "tenant", seeded.tenant()));

    List<Finding> candidates = compareAll("concepts", seeded.tenant(), 10).candidates();
    assertThat(candidates).extracting(Finding::entityId).contains(onItsWay, handled);
    RecheckResult recheck = activities.recheck(candidates);

    assertThat(recheck.confirmed()).extracting(Finding::entityId).containsExactly(handled);
    assertThat(recheck.inFlight()).isEqualTo(1);
  }

  @Test
  void givenANodeHeldForAnOpenConflict_whenRechecked_itIsInFlightNotDrift() throws SQLException {
    Seeded seeded = tenantWithUsers(0);
    String held = UUID.randomUUID().toString();
    cypher("CREATE (:Concept {id: $id, tenantId: $tenant, name: 'curated', neo4jVersion: 1, backflowVersion: 1, "
        + "neo4jModifiedAt: datetime(), backflowHold: 'resolve/Concept/' + $id})",
        Map.of("id", held, "tenant", seeded.tenant()));

    List<Finding> candidates = compareAll("concepts", seeded.tenant(), 10).candidates();
    assertThat(candidates).extracting(Finding::entityId).contains(held);
    RecheckResult recheck = activities.recheck(candidates);

    assertThat(recheck.confirmed()).extracting(Finding::entityId).doesNotContain(held);
    assertThat(recheck.inFlight()).isEqualTo(1);
  }
}
