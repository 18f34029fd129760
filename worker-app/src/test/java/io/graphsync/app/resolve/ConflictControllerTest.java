package io.graphsync.app.resolve;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.graphsync.starters.resolve.ApprovalRejectedException;
import io.graphsync.starters.resolve.ConflictClient;
import io.graphsync.starters.resolve.OpenConflict;
import io.graphsync.workflows.resolve.Approval;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.ConflictState;
import io.graphsync.workflows.resolve.ConflictStatus;
import io.graphsync.workflows.resolve.PropertyDifference;
import io.graphsync.workflows.resolve.Resolution;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * The HTTP mapping of {@link ConflictController} (Spring MVC with its message converters, no server, no Temporal): the
 * {@link ConflictClient} is a mock. (A {@code @WebMvcTest} slice would need spring-boot-webmvc-test, which the build
 * does not have; a standalone MockMvc exercises the same controller, binding and JSON.)
 */
class ConflictControllerTest {

  private static final Conflict CONFLICT = new Conflict("concepts", "Concept", "c-1", "t-1",
      Conflict.SAME_VERSION_DIFFERENT_CONTENT, 3L, 1L, Map.of("name", "graphs"), Map.of("name", "graph theory"),
      List.of(new PropertyDifference("name", "graphs", "graph theory")), Instant.parse("2026-11-25T10:00:00Z"),
      "reconcile/1");

  private static final ConflictState STATE = new ConflictState(CONFLICT, 2, ConflictStatus.OPEN,
      Instant.parse("2026-11-25T10:00:01Z"), Instant.parse("2026-11-26T10:00:01Z"), List.of(), null, null);

  /** The authenticated caller (Spring Security's principal in the application). */
  private static final Principal CALLER = () -> "ann";

  private final ConflictClient conflicts = mock(ConflictClient.class);
  private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new ConflictController(conflicts)).build();

  @Test
  void givenOpenConflicts_whenListedForATenant_itReturnsThem() throws Exception {
    when(conflicts.listOpen("t-1", null)).thenReturn(List.of(new OpenConflict("resolve/Concept/c-1", "Concept", "c-1",
        "t-1", "OVERDUE", Instant.parse("2026-11-25T10:00:01Z"))));

    mvc.perform(get("/api/conflicts").param("tenantId", "t-1"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[0].workflowId").value("resolve/Concept/c-1"))
        .andExpect(jsonPath("$[0].status").value("OVERDUE"));
  }

  @Test
  void givenNoTenant_whenListed_itListsAll() throws Exception {
    when(conflicts.listOpen(isNull(), isNull())).thenReturn(List.of());

    mvc.perform(get("/api/conflicts")).andExpect(status().isOk()).andExpect(jsonPath("$").isEmpty());
  }

  @Test
  void givenAStatus_whenListed_itListsOnlyThoseAndRefusesOthers() throws Exception {
    when(conflicts.listOpen(isNull(), eq(ConflictStatus.OVERDUE))).thenReturn(List.of(new OpenConflict(
        "resolve/Concept/c-1", "Concept", "c-1", "t-1", "OVERDUE", Instant.parse("2026-11-25T10:00:01Z"))));

    mvc.perform(get("/api/conflicts").param("status", "overdue"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[0].status").value("OVERDUE"));
    mvc.perform(get("/api/conflicts").param("status", "RESOLVED"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value("status must be OPEN or OVERDUE (open conflicts), not 'RESOLVED'"));
  }

  @Test
  void givenTemporalNotAnsweringTheQuery_whenShown_itIs503WithRetryAfter() throws Exception {
    when(conflicts.show("Concept", "c-1")).thenThrow(new io.temporal.client.WorkflowServiceException(
        io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId("resolve/Concept/c-1").build(),
        "ManualResolutionWorkflow", new io.grpc.StatusRuntimeException(io.grpc.Status.DEADLINE_EXCEEDED)));

    mvc.perform(get("/api/conflicts/Concept/c-1"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.header()
            .string("Retry-After", "5"))
        .andExpect(jsonPath("$.title").value("Temporal unavailable"));
  }

  @Test
  void givenAConflict_whenShown_itReturnsBothSidesAndTheRevision() throws Exception {
    when(conflicts.show("Concept", "c-1")).thenReturn(Optional.of(STATE));

    mvc.perform(get("/api/conflicts/Concept/c-1"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.revision").value(2))
        .andExpect(jsonPath("$.status").value("OPEN"))
        .andExpect(jsonPath("$.conflict.postgres.name").value("graphs"))
        .andExpect(jsonPath("$.conflict.neo4j.name").value("graph theory"))
        .andExpect(jsonPath("$.conflict.differences[0].property").value("name"));
  }

  @Test
  void givenNoConflict_whenShown_itIs404() throws Exception {
    when(conflicts.show("Concept", "nope")).thenReturn(Optional.empty());

    mvc.perform(get("/api/conflicts/Concept/nope")).andExpect(status().isNotFound());
  }

  @Test
  void givenAValidApproval_whenPosted_itSignalsAsTheAuthenticatedCallerAndAnswers202WithTheConflict()
      throws Exception {
    // the body's "by" (alice) is ignored: the audit records who authenticated (ann)
    Approval approval = new Approval(Resolution.KEEP_NEO4J, "ann", "the graph edit is right", 2);
    when(conflicts.approve("Concept", "c-1", approval)).thenReturn(STATE);

    mvc.perform(post("/api/conflicts/Concept/c-1/approve").principal(CALLER).contentType(MediaType.APPLICATION_JSON)
            .content("{\"resolution\":\"KEEP_NEO4J\",\"by\":\"alice\",\"comment\":\"the graph edit is right\","
                + "\"revision\":2}"))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.revision").value(2));
    verify(conflicts).approve("Concept", "c-1", approval);
  }

  @Test
  void givenAMalformedApproval_whenPosted_itIs400WithTheReason() throws Exception {
    when(conflicts.approve(eq("Concept"), eq("c-1"), any())).thenThrow(new ApprovalRejectedException(
        ApprovalRejectedException.Reason.MALFORMED, "no resolution: send one of KEEP_POSTGRES, KEEP_NEO4J, DISMISS",
        null));

    mvc.perform(post("/api/conflicts/Concept/c-1/approve").principal(CALLER).contentType(MediaType.APPLICATION_JSON)
            .content("{\"resolution\":\"KEEP_BOTH\",\"by\":\"alice\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.title").value("Malformed approval"))
        .andExpect(jsonPath("$.detail").value("no resolution: send one of KEEP_POSTGRES, KEEP_NEO4J, DISMISS"));
    // an unknown resolution name reaches the client as a missing one, which it refuses
    verify(conflicts).approve("Concept", "c-1", new Approval(null, "ann", null, null));
  }

  @Test
  void givenNoBodyOrBrokenJson_whenPosted_itIs400() throws Exception {
    when(conflicts.approve(eq("Concept"), eq("c-1"), isNull())).thenThrow(new ApprovalRejectedException(
        ApprovalRejectedException.Reason.MALFORMED, "no approval", null));

    mvc.perform(post("/api/conflicts/Concept/c-1/approve").principal(CALLER).contentType(MediaType.APPLICATION_JSON))
        .andExpect(status().isBadRequest());
    mvc.perform(post("/api/conflicts/Concept/c-1/approve").principal(CALLER).contentType(MediaType.APPLICATION_JSON)
            .content("{"))
        .andExpect(status().isBadRequest());
    verify(conflicts, never()).approve(eq("Concept"), eq("c-1"), any(Approval.class));
  }

  @Test
  void givenNoOpenConflict_whenApproved_itIs404() throws Exception {
    when(conflicts.approve(eq("Concept"), eq("gone"), any())).thenThrow(new ApprovalRejectedException(
        ApprovalRejectedException.Reason.NO_OPEN_CONFLICT, "no open conflict for Concept gone", null));

    mvc.perform(post("/api/conflicts/Concept/gone/approve").principal(CALLER).contentType(MediaType.APPLICATION_JSON)
            .content("{\"resolution\":\"DISMISS\",\"by\":\"alice\"}"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail").value("no open conflict for Concept gone"));
  }

  @Test
  void givenAStaleRevision_whenApproved_itIs409WithTheCurrentRevision() throws Exception {
    when(conflicts.approve(eq("Concept"), eq("c-1"), any())).thenThrow(new ApprovalRejectedException(
        ApprovalRejectedException.Reason.STALE, "stale: the approval names revision 1, but the conflict is at "
        + "revision 2", STATE));

    mvc.perform(post("/api/conflicts/Concept/c-1/approve").principal(CALLER).contentType(MediaType.APPLICATION_JSON)
            .content("{\"resolution\":\"DISMISS\",\"by\":\"alice\",\"revision\":1}"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.title").value("Stale approval"))
        .andExpect(jsonPath("$.revision").value(2));
  }
}
