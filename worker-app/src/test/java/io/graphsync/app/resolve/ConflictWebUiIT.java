package io.graphsync.app.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.app.webui.HeadlessChromium;
import io.graphsync.app.webui.TemporalWebUi;
import io.graphsync.dev.TemporalDevServer;
import io.graphsync.starters.resolve.ConflictClient;
import io.graphsync.starters.resolve.EscalationActivitiesImpl;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.NoBackflowHolds;
import io.graphsync.testing.TestWorkers;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.resolve.Approval;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.ConflictDecision;
import io.graphsync.workflows.resolve.ManualResolutionWorkflow;
import io.graphsync.workflows.resolve.ManualResolutionWorkflowImpl;
import io.graphsync.workflows.resolve.PropertyDifference;
import io.graphsync.workflows.resolve.Resolution;
import io.graphsync.workflows.resolve.ResolutionActivities;
import io.graphsync.workflows.resolve.ResolutionOutcome;
import io.graphsync.workflows.resolve.ResolutionPolicy;
import io.graphsync.workflows.resolve.RowUpdateResult;
import io.graphsync.workflows.sync.ChangeEvent;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/conflicts.md's Web UI steps in the real Web UI of the dev server (headless Chromium): an overdue conflict is in
 * the list filtered by {@code WorkflowType="ManualResolutionWorkflow" AND ConflictStatus="OVERDUE"}, and leaves it
 * once approved. The reminder fires after 2 seconds here; only the DISMISS decision is recorded (by a fake: this test
 * is about what operators see, the stores are covered by ManualResolutionIT).
 */
@ExtendWith(GraphsyncExtension.class)
class ConflictWebUiIT {

  @RegisterExtension
  static final HeadlessChromium chromium = new HeadlessChromium();

  private static final Duration VISIBILITY = Duration.ofSeconds(30);

  private final String taskQueue = "conflict-webui-it-" + UUID.randomUUID();
  private WorkflowClient client;
  private TemporalWebUi ui;

  /** Records nothing anywhere: DISMISS only needs its audit call to succeed. */
  static final class NoStores implements ResolutionActivities {
    @Override
    public ChangeEvent rewriteEventFromPostgres(Conflict conflict) {
      throw new UnsupportedOperationException("no stores in this test");
    }

    @Override
    public RowUpdateResult keepNeo4jValues(ConflictDecision decision) {
      throw new UnsupportedOperationException("no stores in this test");
    }

    @Override
    public void recordConflictDecision(ConflictDecision decision) {}
  }

  @BeforeEach
  void connect(TemporalDevServer temporal, WorkflowClient workflowClient, TestWorkers workers) {
    client = workflowClient;
    workers.on(taskQueue)
        .workflows(ManualResolutionWorkflowImpl.class)
        .activities(new NoStores(), new NoBackflowHolds())
        .start();
    ui = chromium.temporalWebUi(temporal);
  }

  @Test
  void givenAnOverdueConflict_whenListedInTheWebUi_itIsShownUntilApproved() throws Exception {
    String id = UUID.randomUUID().toString();
    String workflowId = ManualResolutionWorkflow.workflowId("Concept", id);
    ResolutionPolicy remindSoon = new ResolutionPolicy(Duration.ofSeconds(2), 500);
    new EscalationActivitiesImpl(client, taskQueue, remindSoon).escalate(
        new Conflict("concepts", "Concept", id, "t-webui",
        Conflict.SAME_VERSION_DIFFERENT_CONTENT, 1L, 0L, Map.of("name", "graphs"), Map.of("name", "graph theory"),
        List.of(new PropertyDifference("name", "graphs", "graph theory")), Instant.now(), "conflict-webui-it"));
    String overdue = "WorkflowType=\"ManualResolutionWorkflow\" AND ConflictStatus=\"OVERDUE\" AND EntityId=\"" + id
        + "\"";

    List<String> shown = ui.openWorkflowList(overdue).awaitWorkflowIdsShown(ids -> ids.contains(workflowId),
        VISIBILITY);

    assertThat(shown).containsExactly(workflowId);
    assertThat(ui.openWorkflow(workflowId).workflowStatusShown()).isEqualTo("Running");

    new ConflictClient(client).approve("Concept", id, new Approval(Resolution.DISMISS, "webui-it", null, 1));
    assertThat(client.newUntypedWorkflowStub(workflowId).getResult(30, TimeUnit.SECONDS, ResolutionOutcome.class)
        .resolution()).isEqualTo(Resolution.DISMISS);
    assertThat(client.newUntypedWorkflowStub(workflowId).describe().getTypedSearchAttributes()
        .get(SyncSearchAttributes.CONFLICT_STATUS)).isEqualTo("RESOLVED");
    assertThat(ui.openWorkflowList(overdue).awaitWorkflowIdsShown(List::isEmpty, VISIBILITY)).isEmpty();
    assertThat(ui.openWorkflowList("WorkflowType=\"ManualResolutionWorkflow\" AND ConflictStatus=\"RESOLVED\" AND "
        + "EntityId=\"" + id + "\"").awaitWorkflowIdsShown(ids -> ids.contains(workflowId), VISIBILITY))
        .containsExactly(workflowId);
  }
}
