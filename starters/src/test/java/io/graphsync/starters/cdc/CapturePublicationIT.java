package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * graphsync owns the capture's publication: adding a table to the mapping, removing one and renaming the
 * publication are restarts of an existing installation (same slot, same offsets), and every change is captured
 * exactly once across them. Real PostgreSQL and the real Temporal dev server; no worker runs, so workflows only start.
 */
@ExtendWith(GraphsyncExtension.class)
class CapturePublicationIT {

  private static final String SLOT = "gs_publication_it";
  private static final String RENAMED = SLOT + "_renamed";

  private static CaptureFixture fixture;
  private static GraphMapping withoutConcepts;
  private PostgresCapture capture;

  @BeforeAll
  static void setUp(GraphsyncStack stack) {
    fixture = new CaptureFixture(stack, SLOT);
    withoutConcepts = new GraphMapping(
        fixture.mapping.tables().stream().filter(t -> !t.table().equals("concepts")).toList(), List.of());
  }

  @AfterEach
  void stopCapture() {
    if (capture != null) {
      capture.close();
    }
  }

  @AfterAll
  static void tearDown() throws SQLException {
    if (fixture != null) {
      fixture.dropSlot();
      try (Connection c = fixture.connect(); Statement s = c.createStatement()) {
        s.execute("DROP PUBLICATION IF EXISTS " + RENAMED);
      }
    }
  }

  @Test
  void givenAnExistingInstallation_whenATableIsAddedRemovedAndThePublicationRenamed_everyChangeIsCapturedOnce()
      throws Exception {
    // 1. a first release: the mapping without concepts; Debezium's slot and offsets are created
    start(fixture.settings().mapping(withoutConcepts));
    String tenant1 = insertTenant();
    String concept1 = insertConcept(tenant1);
    fixture.awaitEvents(tenant1, 1);
    assertThat(publishedTables(SLOT + "_pub")).doesNotContain("public.concepts")
        .contains("public.tenants", "public.content_items");
    capture.close();

    // 2. concepts added to the mapping; a change committed while the capture is down is not lost
    String tenant2 = insertTenant();
    start(fixture.settings());
    String concept2 = insertConcept(tenant2);
    String tenant3 = insertTenant();
    assertThat(single(tenant2).eventType()).isEqualTo(EventType.CREATE);
    assertThat(single(concept2).entityType()).isEqualTo("Concept");
    assertThat(single(tenant3).entityType()).isEqualTo("Tenant");
    assertThat(publishedTables(SLOT + "_pub")).containsExactlyInAnyOrderElementsOf(mappedTables(fixture.mapping));
    capture.close();

    // 3. concepts removed again: the other tables still flow, concepts do not
    start(fixture.settings().mapping(withoutConcepts));
    String tenant4 = insertTenant();
    String concept4 = insertConcept(tenant4);
    assertThat(single(tenant4).entityType()).isEqualTo("Tenant");
    assertThat(publishedTables(SLOT + "_pub")).containsExactlyInAnyOrderElementsOf(mappedTables(withoutConcepts));
    capture.close();

    // 4. the publication renamed, with changes committed before the new publication exists: they are read through
    // the previous publication, then the capture switches and drops it
    String tenant5 = insertTenant();
    start(fixture.settings().publicationName(RENAMED).heartbeatInterval(Duration.ofSeconds(1)));
    Await.until(() -> "publications of slot " + SLOT + ": " + publicationsOfSlot(), Duration.ofSeconds(60),
        () -> publicationsOfSlot().equals(List.of(RENAMED)));
    fixture.awaitStreaming(capture);
    String tenant6 = insertTenant();
    assertThat(single(tenant5).entityType()).isEqualTo("Tenant");
    assertThat(single(tenant6).entityType()).isEqualTo("Tenant");
    assertThat(publishedTables(RENAMED)).containsExactlyInAnyOrderElementsOf(mappedTables(fixture.mapping));

    // every change exactly once; concepts only while they were mapped
    assertThat(fixture.syncWorkflows(tenant1)).hasSize(1);
    assertThat(fixture.syncWorkflows(concept1)).isEmpty();
    assertThat(fixture.syncWorkflows(concept2)).hasSize(1);
    assertThat(fixture.syncWorkflows(concept4)).isEmpty();
    assertThat(fixture.syncWorkflows(tenant5)).hasSize(1);
  }

  @Test
  void givenAPublicationOfAnotherSlot_whenTheCaptureStarts_itRefusesToTakeItAndSaysWhy() throws Exception {
    try (Connection c = fixture.connect(); Statement s = c.createStatement()) {
      s.execute("DROP PUBLICATION IF EXISTS gs_foreign_pub");
      s.execute("CREATE PUBLICATION gs_foreign_pub FOR TABLE tenants");
      s.execute("COMMENT ON PUBLICATION gs_foreign_pub IS "
          + "'graphsync capture publication of slot other_slot; created at LSN 0/0'");
    }
    CaptureSettings settings = fixture.settings().slotName("gs_foreign_it").publicationName("gs_foreign_pub")
        .build();
    try {
      capture = new PostgresCapture(settings, fixture.client, CaptureListener.NONE);
      capture.start();
      Await.until(() -> "capture restarting, state " + capture.state(), Duration.ofSeconds(30),
          () -> capture.state() == CaptureState.RESTARTING);
      assertThat(capture.lastError()).hasValueSatisfying(error -> assertThat(error.message())
          .contains("gs_foreign_pub belongs to the capture of slot other_slot"));
      assertThat(publishedTables("gs_foreign_pub")).containsExactly("public.tenants");
    } finally {
      capture.close();
      capture = null;
      try (Connection c = fixture.connect(); Statement s = c.createStatement()) {
        s.execute("DROP PUBLICATION IF EXISTS gs_foreign_pub");
      }
    }
  }

  private void start(CaptureSettings.Builder settings) {
    capture = new PostgresCapture(settings.build(), fixture.client, CaptureListener.NONE);
    capture.start();
    fixture.awaitStreaming(capture);
  }

  private static ChangeEvent single(String entityId) {
    List<ChangeEvent> events = fixture.awaitEvents(entityId, 1);
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private static List<String> mappedTables(GraphMapping mapping) {
    List<String> tables = new ArrayList<>();
    mapping.tables().forEach(t -> tables.add("public." + t.table()));
    mapping.joinTables().forEach(t -> tables.add("public." + t.table()));
    return tables;
  }

  private static List<String> publishedTables(String publication) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection c = fixture.connect(); PreparedStatement q = c.prepareStatement(
        "SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = ? ORDER BY 1")) {
      q.setString(1, publication);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          tables.add(r.getString(1));
        }
      }
    }
    return tables;
  }

  private static List<String> publicationsOfSlot() {
    List<String> names = new ArrayList<>();
    try (Connection c = fixture.connect(); PreparedStatement q = c.prepareStatement(
        "SELECT pubname FROM pg_publication WHERE obj_description(oid, 'pg_publication') LIKE ? ORDER BY 1")) {
      q.setString(1, "graphsync capture publication of slot " + SLOT + ";%");
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          names.add(r.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return names;
  }

  private static String insertTenant() throws SQLException {
    String id = UUID.randomUUID().toString();
    fixture.sql.execute("INSERT INTO tenants (id, name) VALUES ('" + id + "', 'tenant " + id.substring(0, 8) + "')");
    return id;
  }

  private static String insertConcept(String tenant) throws SQLException {
    String id = UUID.randomUUID().toString();
    fixture.sql.execute("INSERT INTO concepts (id, tenant_id, name) VALUES ('" + id + "', '" + tenant + "', 'c')");
    return id;
  }
}
