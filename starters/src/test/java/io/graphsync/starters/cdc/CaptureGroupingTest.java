package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.workflows.bulk.SyncBatch;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CaptureGroupingTest {

  private static final LaneRule CRITICAL = new LaneRule("sync-critical", Set.of("tenants"), Set.of());

  private static ChangeEvent change(String table, long position, String payload) {
    return ChangeEvent.builder(EventSource.POSTGRES, EventType.CREATE).entity(table, "Label", "id" + position)
        .tenantId("t1").correlationId("tx").timestamp(Instant.EPOCH).data(Map.of("payload", payload)).version(1L)
        .position(position).build();
  }

  private static List<ChangeEvent> changes(String table, int count) {
    List<ChangeEvent> events = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      events.add(change(table, i, "x"));
    }
    return events;
  }

  private static CaptureGrouping grouping(int threshold, int maxInFlight, int maxEvents, int maxBytes) {
    return new CaptureGrouping(threshold, maxInFlight, maxEvents, maxBytes,
        event -> CRITICAL.matches(event) ? "sync-critical" : "sync-default", "sync-default",
        event -> ((String) event.data().get("payload")).length());
  }

  @Test
  void givenAFewChangesAndFewSyncsInFlight_whenPlanned_eachStartsItsOwnWorkflow() {
    List<ChangeEvent> events = changes("concepts", 5);

    CaptureGrouping.Plan plan = grouping(100, 500, 50, 10_000).plan(events, 10);

    assertThat(plan.perChange()).isEqualTo(events);
    assertThat(plan.batches()).isEmpty();
  }

  @Test
  void givenALargeTransaction_whenPlanned_itIsGroupedIntoBoundedBatchesInCaptureOrder() {
    List<ChangeEvent> events = changes("concepts", 120);

    CaptureGrouping.Plan plan = grouping(100, 500, 50, 10_000).plan(events, 0);

    assertThat(plan.perChange()).isEmpty();
    assertThat(plan.batches()).extracting(batch -> batch.events().size()).containsExactly(50, 50, 20);
    assertThat(plan.batches().get(0).batchId()).isEqualTo("1-50");
    assertThat(plan.batches().get(2).workflowId()).isEqualTo("sync-batch/101-120");
    assertThat(plan.batches().stream().flatMap(batch -> batch.events().stream()).toList()).isEqualTo(events);
  }

  @Test
  void givenManySyncsInFlight_whenAFewChangesArrive_theyAreGrouped() {
    List<ChangeEvent> events = changes("concepts", 5);

    CaptureGrouping.Plan plan = grouping(100, 500, 50, 10_000).plan(events, 498);

    assertThat(plan.perChange()).isEmpty();
    assertThat(plan.batches()).singleElement().extracting(SyncBatch::events).isEqualTo(events);
  }

  @Test
  void givenCriticalChangesInAGroupedBatch_whenPlanned_theyStillStartOneWorkflowEach() {
    List<ChangeEvent> events = new ArrayList<>(changes("concepts", 150));
    ChangeEvent tenant = change("tenants", 1000, "x");
    events.add(75, tenant);

    CaptureGrouping.Plan plan = grouping(100, 500, 500, 100_000).plan(events, 0);

    assertThat(plan.perChange()).containsExactly(tenant);
    assertThat(plan.batches()).singleElement().satisfies(batch -> assertThat(batch.events()).hasSize(150)
        .doesNotContain(tenant));
  }

  @Test
  void givenTheByteLimit_whenPlanned_aBatchClosesBeforeItAndATooLargeChangeGoesAlone() {
    List<ChangeEvent> events = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      events.add(change("concepts", i, "a".repeat(240)));
    }
    events.add(change("concepts", 6, "b".repeat(300))); // over a quarter of the limit

    CaptureGrouping.Plan plan = grouping(2, 500, 100, 1000).plan(events, 0);

    assertThat(plan.batches()).extracting(SyncBatch::batchId).containsExactly("1-4", "5-5");
    assertThat(plan.perChange()).extracting(ChangeEvent::position).containsExactly(6L);
  }

  @Test
  void givenTheBackflowsOwnWritesInALargeBatch_whenPlanned_theyStartOneWorkflowEach() {
    List<ChangeEvent> events = new ArrayList<>(changes("concepts", 120));
    ChangeEvent echo = events.get(7);
    events.set(7, echo.toBuilder().source(EventSource.NEO4J).previousData(null).version(1L).build());

    CaptureGrouping.Plan plan = grouping(100, 500, 50, 10_000).plan(events, 0);

    assertThat(plan.perChange()).containsExactly(events.get(7));
    assertThat(plan.batches().stream().mapToInt(batch -> batch.events().size()).sum()).isEqualTo(119);
  }
}
