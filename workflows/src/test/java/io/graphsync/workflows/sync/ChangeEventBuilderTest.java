package io.graphsync.workflows.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeEventBuilderTest {

  @Test
  void givenNamedComponents_whenBuilt_eachLandsInItsPlaceAndTheIdsDeriveFromTableKeyAndPosition() {
    ChangeEvent event = ChangeEvent.builder(EventSource.POSTGRES, EventType.UPDATE)
        .entity("content_item_concepts", "MENTIONS", EntityKey.join("i-1", "c-1"))
        .tenantId("t-1").correlationId("tx-9").timestamp(Instant.parse("2026-12-02T06:00:00Z"))
        .data(Map.of("weight", "0.5")).previousData(Map.of("weight", "0.25")).position(4711).build();

    assertThat(event).isEqualTo(new ChangeEvent("content_item_concepts/i-1|c-1/4711", "tx-9", EventType.UPDATE,
        "MENTIONS", "i-1|c-1", "t-1", Instant.parse("2026-12-02T06:00:00Z"), Map.of("weight", "0.5"),
        Map.of("weight", "0.25"), null, EventSource.POSTGRES, null, 4711, "content_item_concepts", false));
    assertThat(event.workflowId()).isEqualTo("sync/MENTIONS/i-1|c-1/4711");
  }

  @Test
  void givenAnEvent_whenRebuiltWithAReReadRow_itKeepsItsIdentity() {
    ChangeEvent captured = ChangeEvent.builder(EventSource.POSTGRES, EventType.CREATE)
        .entity("concepts", "Concept", "c-1").version(3L).position(100).dataOmitted(true).build();

    ChangeEvent reread = captured.toBuilder().data(Map.of("name", "now")).version(4L).position(120)
        .dataOmitted(false).build();

    assertThat(reread.eventId()).isEqualTo(captured.eventId()).isEqualTo("concepts/c-1/100");
    assertThat(reread.position()).isEqualTo(120);
    assertThat(reread.version()).isEqualTo(4L);
    assertThat(reread.dataOmitted()).isFalse();
  }

  @Test
  void givenNoKey_whenBuilt_itSaysWhatIsMissing() {
    assertThatThrownBy(() -> ChangeEvent.builder(EventSource.POSTGRES, EventType.CREATE).table("concepts")
        .entityType("Concept").build()).hasMessage("entityId");
  }

  @Test
  void givenCompositeKeys_whenJoinedAndSplit_theyRoundTripAndACountMismatchIsRefused() {
    assertThat(EntityKey.split(EntityKey.of(List.of("a", "", "c")), 3)).containsExactly("a", "", "c");
    assertThat(EntityKey.parts("only")).containsExactly("only");
    assertThatThrownBy(() -> EntityKey.split("a|b|c", 2)).hasMessageContaining("is not 2 values joined with '|'");
  }
}
