package io.graphsync.activities.neo4j;

import static io.graphsync.activities.neo4j.TestGraph.newId;
import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Driver;

/**
 * An UPDATE whose TOASTed column PostgreSQL did not send (the placeholder) for a node that lacks the value — e.g.
 * its CREATE was skipped — gets the value from the row when the row still has the change's version; never the
 * placeholder. Real PostgreSQL and Neo4j.
 */
@ExtendWith(GraphsyncExtension.class)
class ToastedValuesIT {

  private static TestGraph testGraph;
  private static DataSource dataSource;
  private static Sql sql;
  private static GraphWriteActivitiesImpl activities;

  @BeforeAll
  static void connect(Driver driver, Sql migrated) {
    testGraph = TestGraph.connect(driver);
    sql = migrated;
    dataSource = migrated.dataSource();
    activities = new GraphWriteActivitiesImpl(Neo4jTarget.of(testGraph.driver), ResolvedContextNexus.mapping(),
        new SourceRowReader(dataSource, ResolvedContextNexus.mapping()));
  }

  /** An UPDATE of a message whose body is the TOAST placeholder. */
  private static ChangeEvent updateWithToastedBody(String id, String tenant, String thread, long version,
      long position) {
    Map<String, Object> data = new HashMap<>();
    data.put("id", id);
    data.put("tenant_id", tenant);
    data.put("thread_id", thread);
    data.put("body", ChangeEvent.UNAVAILABLE_VALUE);
    data.put("pg_version", version);
    return ChangeEvent.builder(EventSource.POSTGRES, EventType.UPDATE).entity("messages", "Message", id)
        .tenantId(tenant).correlationId("tx").timestamp(Instant.parse("2026-01-01T00:00:00Z")).data(data)
        .version(version).position(position).build();
  }

  @Test
  void givenTheRowStillAtTheChangesVersion_whenTheBodyIsAPlaceholder_itIsFilledFromTheRow() throws SQLException {
    String tenant = newId();
    String thread = newId();
    String id = newId();
    String body = "b".repeat(10_000);
    insertMessage(tenant, thread, id, body);
    sql.execute("UPDATE messages SET author_id = NULL, sent_at = now() WHERE id = ?::uuid", id);   // pg_version 2

    activities.apply(updateWithToastedBody(id, tenant, thread, 2, 100), 1);

    Map<String, Object> node = testGraph.probe.node("Message", id).orElseThrow();
    assertThat(node.get("body")).isEqualTo(body);
    assertThat(node.values()).doesNotContain(ChangeEvent.UNAVAILABLE_VALUE);
  }

  @Test
  void givenTheRowAlreadyAtANewerVersion_whenTheBodyIsAPlaceholder_itIsLeftForTheNewerChange() throws SQLException {
    String tenant = newId();
    String thread = newId();
    String id = newId();
    insertMessage(tenant, thread, id, "first");
    sql.execute("UPDATE messages SET body = 'second' WHERE id = ?::uuid", id);   // pg_version 2: not the change's

    activities.apply(updateWithToastedBody(id, tenant, thread, 1, 100), 1);

    Map<String, Object> node = testGraph.probe.node("Message", id).orElseThrow();
    assertThat(node).doesNotContainKey("body");
    assertThat(node.values()).doesNotContain(ChangeEvent.UNAVAILABLE_VALUE);
  }

  private static void insertMessage(String tenant, String thread, String id, String body) throws SQLException {
    sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, 't')", tenant);
    sql.execute("INSERT INTO threads (id, tenant_id, title) VALUES (?::uuid, ?::uuid, 't')", thread, tenant);
    sql.execute("INSERT INTO messages (id, tenant_id, thread_id, body) VALUES (?::uuid, ?::uuid, ?::uuid, ?)",
        id, tenant, thread, body);
  }
}
