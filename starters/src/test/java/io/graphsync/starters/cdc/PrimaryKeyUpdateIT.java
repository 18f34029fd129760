package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.neo4j.GraphSchemaInitializer;
import io.graphsync.activities.neo4j.GraphWriteActivitiesImpl;
import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.activities.reconcile.ReconciliationActivitiesImpl;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.reconcile.ComparisonRequest;
import io.graphsync.workflows.reconcile.ReconciliationActivities;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.GraphWriteActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

/**
 * Issue 9, item 6 on the real stack: an UPDATE that changes a row's primary key. Debezium's PostgreSQL connector sends
 * it as a DELETE of the old key and a CREATE of the new key, both at the update's LSN; a referencing row whose foreign
 * key follows (ON UPDATE CASCADE) brings its own UPDATE. Applied through the graph writer in capture order, and in the
 * reverse order: the old node is gone with a tombstone, the new node has its own relationships and those of the rows
 * that point at it, and reconciliation finds no drift.
 */
@ExtendWith(GraphsyncExtension.class)
class PrimaryKeyUpdateIT {

  private static final String SCHEMA = """
      CREATE SCHEMA IF NOT EXISTS pk;
      DROP TABLE IF EXISTS pk.child, pk.parent, pk.grp;
      CREATE TABLE pk.grp (id bigint PRIMARY KEY, name text);
      CREATE TABLE pk.parent (id bigint PRIMARY KEY, group_id bigint REFERENCES pk.grp (id), name text);
      CREATE TABLE pk.child (id bigint PRIMARY KEY,
        parent_id bigint REFERENCES pk.parent (id) ON UPDATE CASCADE, name text);
      SELECT graphsync.enable_sync('pk.grp');
      SELECT graphsync.enable_sync('pk.parent');
      SELECT graphsync.enable_sync('pk.child');
      """;

  private static final String MAPPING = """
      tables:
        - table: pk.grp
          label: PkGroup
          key: id
        - table: pk.parent
          label: PkParent
          key: id
          relationships:
            - { column: group_id, target: pk.grp, type: IN_GROUP, direction: OUTGOING }
        - table: pk.child
          label: PkChild
          key: id
          relationships:
            - { column: parent_id, target: pk.parent, type: CHILD_OF, direction: OUTGOING }
      """;

  private static final List<ChangeEvent> captured = new CopyOnWriteArrayList<>();

  private static CaptureFixture fixture;
  private static PostgresCapture capture;
  private static Driver driver;
  private static TestActivityEnvironment activities;
  private static GraphWriteActivities graphWriter;
  private static ReconciliationActivities reconciliation;

  @BeforeAll
  static void start(GraphsyncStack stack, Sql sql, Driver graph) throws SQLException {
    fixture = new CaptureFixture(stack, "gs_pk_update_it");
    DataSource dataSource = sql.dataSource();
    sql.execute(SCHEMA);
    GraphMapping mapping = stack.mapping(MAPPING, "pk.yml");
    driver = graph;
    new GraphSchemaInitializer(Neo4jTarget.of(driver)).initialize(mapping);
    activities = TestActivityEnvironment.newInstance();
    activities.registerActivitiesImplementations(
        new GraphWriteActivitiesImpl(Neo4jTarget.of(driver), mapping, new SourceRowReader(dataSource, mapping)),
        new ReconciliationActivitiesImpl(dataSource, Neo4jTarget.of(driver), mapping));
    ActivityOptions options = CaptureFixture.oneAttempt();
    graphWriter = activities.newActivityStub(GraphWriteActivities.class, options);
    reconciliation = activities.newActivityStub(ReconciliationActivities.class, options);
    capture = fixture.startRecording(mapping, captured);
  }

  @AfterAll
  static void stop() throws SQLException {
    if (fixture != null) {
      fixture.stop(capture);
    }
    if (activities != null) {
      activities.close();
    }
  }

  @Test
  void givenKeyUpdate_whenCapturedAndAppliedInOrder_theOldNodeIsGoneAndTheNewOneHasEveryRelationship()
      throws SQLException {
    List<ChangeEvent> seeded = seed(1, 10, 100);
    seeded.forEach(event -> assertThat(graphWriter.applyToGraph(event).applied()).isTrue());
    int before = captured.size();

    fixture.sql.execute("UPDATE pk.parent SET id = 11 WHERE id = 10");

    List<ChangeEvent> events = awaitEvents(before, 3);
    assertThat(events).extracting(e -> e.eventType() + " " + e.table() + " " + e.entityId())
        .containsExactlyInAnyOrder("DELETE pk.parent 10", "CREATE pk.parent 11", "UPDATE pk.child 100");
    ChangeEvent delete = event(events, EventType.DELETE);
    ChangeEvent create = event(events, EventType.CREATE);
    assertThat(delete.position()).isEqualTo(create.position());
    events.forEach(event -> assertThat(graphWriter.applyToGraph(event).applied()).isTrue());

    assertKeyMoved(1, 10, 11, 100);
  }

  @Test
  void givenKeyUpdate_whenItsEventsAreAppliedInReverseOrder_theGraphEndsTheSame() throws SQLException {
    List<ChangeEvent> seeded = seed(2, 20, 200);
    seeded.forEach(event -> assertThat(graphWriter.applyToGraph(event).applied()).isTrue());
    int before = captured.size();

    fixture.sql.execute("UPDATE pk.parent SET id = 21 WHERE id = 20");

    List<ChangeEvent> events = new ArrayList<>(awaitEvents(before, 3));
    java.util.Collections.reverse(events);
    // each is its own workflow: nothing orders the child's update, the new parent and the old one's delete
    events.forEach(event -> assertThat(graphWriter.applyToGraph(event).applied()).isTrue());

    assertKeyMoved(2, 20, 21, 200);
  }

  private static List<ChangeEvent> seed(long group, long parent, long child) throws SQLException {
    int before = captured.size();
    fixture.sql.execute("INSERT INTO pk.grp VALUES (" + group + ", 'group')");
    fixture.sql.execute("INSERT INTO pk.parent VALUES (" + parent + ", " + group + ", 'parent')");
    fixture.sql.execute("INSERT INTO pk.child VALUES (" + child + ", " + parent + ", 'child')");
    return awaitEvents(before, 3);
  }

  private static void assertKeyMoved(long group, long oldKey, long newKey, long child) {
    try (Session session = driver.session()) {
      assertThat(session.run("MATCH (n:PkParent {id: $id}) RETURN count(n) AS c", Map.of("id", "" + oldKey))
          .single().get("c").asLong()).as("old node").isZero();
      assertThat(session.run("MATCH (t:GraphsyncTombstone {key: $key}) RETURN count(t) AS c",
          Map.of("key", "PkParent:" + oldKey)).single().get("c").asLong()).as("tombstone of the old key").isOne();
      var parent = session.run("MATCH (n:PkParent {id: $id}) "
              + "RETURN n.placeholder AS placeholder, n.name AS name, "
              + "[(n)-[:IN_GROUP]->(g) | g.id] AS groups, [(c)-[:CHILD_OF]->(n) | c.id] AS children",
          Map.of("id", "" + newKey)).single();
      assertThat(parent.get("placeholder").isNull() || !parent.get("placeholder").asBoolean()).isTrue();
      assertThat(parent.get("name").asString()).isEqualTo("parent");
      assertThat(parent.get("groups").asList()).containsExactly("" + group);
      assertThat(parent.get("children").asList()).containsExactly("" + child);
      assertThat(session.run("MATCH (c:PkChild {id: $id})-[:CHILD_OF]->(p) RETURN collect(p.id) AS p",
          Map.of("id", "" + child)).single().get("p").asList()).containsExactly("" + newKey);
    }
    for (String table : List.of("pk.grp", "pk.parent", "pk.child")) {
      assertThat(reconciliation.compare(new ComparisonRequest(table, null, null, 100, 10, 100)).candidates())
          .as("reconciliation's findings in %s", table).isEmpty();
    }
  }

  private static ChangeEvent event(List<ChangeEvent> events, EventType type) {
    return events.stream().filter(e -> e.eventType() == type && e.table().equals("pk.parent")).findFirst()
        .orElseThrow();
  }

  private static List<ChangeEvent> awaitEvents(int after, int count) {
    Await.until(() -> count + " captured changes after " + after + " (have " + (captured.size() - after) + ")",
        Duration.ofSeconds(60),
        () -> captured.size() >= after + count);
    return List.copyOf(captured.subList(after, after + count));
  }
}
