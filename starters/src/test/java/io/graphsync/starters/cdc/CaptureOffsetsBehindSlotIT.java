package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.workflows.sync.ChangeEvent;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The slot ahead of the stored offsets, as a PostgreSQL restart can leave it (the capture confirms each acknowledged
 * change to PostgreSQL at once, its offsets reach their table every flush interval): the capture resumes at the slot's
 * position instead of refusing to start for ever. The fault run found it: after its PostgreSQL restart, Debezium's
 * default failed every start with "no longer available on the server".
 */
@ExtendWith(GraphsyncExtension.class)
class CaptureOffsetsBehindSlotIT {

  private static final String SLOT = "gs_offsets_behind_it";

  private static CaptureFixture fixture;
  private static PostgresCapture capture;

  @BeforeAll
  static void fixture(GraphsyncStack stack) {
    fixture = new CaptureFixture(stack, SLOT);
  }

  @AfterAll
  static void stop() throws SQLException {
    fixture.stop(capture);
  }

  @Test
  void givenTheSlotAheadOfTheStoredOffsets_whenTheCaptureStarts_itStreamsFromTheSlotsPosition() throws Exception {
    capture = new PostgresCapture(fixture.settings().build(), fixture.client, new CaptureMetrics());
    capture.start();
    fixture.awaitStreaming(capture);
    String before = insertTenant("Before AG");
    List<ChangeEvent> first = fixture.awaitEvents(before, 1);
    capture.close();
    long stored = storedLsn();
    // what a restart of PostgreSQL can leave: the slot (restart and confirmed position) past the stored offsets
    // (the restart position moves at a running-transactions record, which a checkpoint writes)
    Await.until("the slot's restart position passed the stored offset", Duration.ofSeconds(30), () -> {
      fixture.sql.execute("CHECKPOINT");
      fixture.sql.execute("SELECT pg_replication_slot_advance(?, pg_current_wal_lsn())", SLOT);
      return fixture.sql.count("SELECT (restart_lsn - '0/0'::pg_lsn)::bigint FROM pg_replication_slots "
          + "WHERE slot_name = ?", SLOT) > stored;
    });

    CaptureMetrics restarted = new CaptureMetrics();
    capture = new PostgresCapture(fixture.settings().build(), fixture.client, restarted);
    capture.start();
    fixture.awaitStreaming(capture);
    String after = insertTenant("After AG");

    assertThat(fixture.awaitEvents(after, 1)).hasSize(1);
    assertThat(capture.state()).isEqualTo(CaptureState.RUNNING);
    assertThat(fixture.syncWorkflows(before)).hasSize(1)
        .first().extracting(w -> w.getExecution().getWorkflowId()).isEqualTo(first.get(0).workflowId());
    assertThat(restarted.failedBatches()).isZero();
  }

  /** The LSN of the offsets the capture stored for its slot. */
  private static long storedLsn() throws SQLException {
    String offsets = fixture.sql.text("SELECT offset_value FROM graphsync.capture_offsets WHERE slot_name = ?", SLOT);
    java.util.regex.Matcher lsn = java.util.regex.Pattern.compile("\"lsn\"\\s*:\\s*(\\d+)").matcher(offsets);
    assertThat(lsn.find()).as("an lsn in " + offsets).isTrue();
    return Long.parseLong(lsn.group(1));
  }

  private static String insertTenant(String name) throws SQLException {
    String id = UUID.randomUUID().toString();
    fixture.sql.execute("INSERT INTO tenants (id, name) VALUES (?::uuid, ?)", id, name);
    return id;
  }
}
