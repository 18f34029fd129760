package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two instances on one slot: one captures, the other stands by and takes over when the first closes. */
@ExtendWith(GraphsyncExtension.class)
class CaptureLeaseIT {

  private static CaptureFixture fixture;

  @BeforeAll
  static void createFixture(GraphsyncStack stack) {
    fixture = new CaptureFixture(stack, "gs_lease_it");
  }

  @AfterAll
  static void dropSlot() throws SQLException {
    fixture.dropSlot();
  }

  @Test
  void givenTwoInstancesOnOneSlot_whenBothStart_onlyOneCapturesAndTheOtherTakesOverAfterItCloses() throws Exception {
    PostgresCapture first = new PostgresCapture(fixture.settings().build(), fixture.client, CaptureListener.NONE);
    PostgresCapture second = new PostgresCapture(fixture.settings().build(), fixture.client, CaptureListener.NONE);
    try (first; second) {
      first.start();
      fixture.awaitStreaming(first);
      second.start();
      Await.until(() -> "second instance standing by, state " + second.state(), Duration.ofSeconds(10),
          () -> second.state() == CaptureState.STANDBY);

      assertThat(first.isLeader()).isTrue();
      assertThat(second.isLeader()).isFalse();
      assertThat(leaseFreeForAThirdSession()).isFalse();
      String before = insertTenant("Leader One");
      assertThat(fixture.awaitEvents(before, 1)).hasSize(1);
      Await.staysTrue("the second instance stands by through a few lease retries", Duration.ofMillis(1_500),
          () -> second.state() == CaptureState.STANDBY);

      first.close();
      fixture.awaitStreaming(second);
      assertThat(second.isLeader()).isTrue();
      assertThat(first.isLeader()).isFalse();
      String after = insertTenant("Leader Two");

      assertThat(fixture.awaitEvents(after, 1)).hasSize(1);
      assertThat(fixture.syncWorkflows(before)).hasSize(1);
    }
    assertThat(leaseFreeForAThirdSession()).isTrue();
  }

  /** Tries the lease from another session (and gives it back at once). */
  private static boolean leaseFreeForAThirdSession() throws SQLException {
    try (Connection c = fixture.connect();
         ResultSet r = c.createStatement().executeQuery(
             "SELECT pg_try_advisory_lock(hashtext('graphsync-capture:" + fixture.slot + "'))")) {
      r.next();
      return r.getBoolean(1);
    }
  }

  private static String insertTenant(String name) throws SQLException {
    String id = UUID.randomUUID().toString();
    try (Connection c = fixture.connect()) {
      c.createStatement().execute("INSERT INTO tenants (id, name) VALUES ('" + id + "', '" + name + "')");
    }
    return id;
  }
}
