package io.graphsync.app.resolve;

import io.graphsync.starters.resolve.ApprovalRejectedException;
import io.graphsync.starters.resolve.ConflictClient;
import io.graphsync.starters.resolve.OpenConflict;
import io.graphsync.workflows.resolve.Approval;
import io.graphsync.workflows.resolve.ConflictState;
import io.graphsync.workflows.resolve.ConflictStatus;
import io.temporal.client.WorkflowServiceException;
import java.security.Principal;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Conflicts that wait for a person ({@code ManualResolutionWorkflow}), over HTTP:
 *
 * <ul>
 *   <li>{@code GET /api/conflicts[?tenantId=][&status=OPEN|OVERDUE]}: the open ones, newest first;
 *   <li>{@code GET /api/conflicts/{entityType}/{entityId}}: one conflict, both sides and the differences (the open one,
 *       else the last resolved one); 404 when the entity never had one;
 *   <li>{@code POST /api/conflicts/{entityType}/{entityId}/approve} with an {@link Approval} as JSON: 202 and the
 *       conflict when the {@code approve} signal was sent. The approver in the signal, hence in the audit, is the
 *       authenticated user (role {@code operator}); a {@code by} in the body is accepted and ignored. 400 for a
 *       malformed approval, 404 when the entity has no open conflict, 409 when the approval names an older revision
 *       or a decision is already being applied. Errors are RFC 9457 problem details ({@code detail} says what is
 *       wrong; a 409 carries the current {@code revision}).
 * </ul>
 *
 * The decision is applied asynchronously by the workflow: {@code GET} the conflict for its {@code status} and
 * {@code outcome}.
 */
@RestController
@RequestMapping("/api/conflicts")
class ConflictController {

  private static final Logger log = LoggerFactory.getLogger(ConflictController.class);

  private final ConflictClient conflicts;

  ConflictController(ConflictClient conflicts) {
    this.conflicts = conflicts;
  }

  @GetMapping
  ResponseEntity<?> list(@RequestParam(name = "tenantId", required = false) String tenantId,
      @RequestParam(name = "status", required = false) String status) {
    ConflictStatus wanted = null;
    if (status != null && !status.isBlank()) {
      wanted = switch (status.strip().toUpperCase(Locale.ROOT)) {
        case "OPEN" -> ConflictStatus.OPEN;
        case "OVERDUE" -> ConflictStatus.OVERDUE;
        default -> null;
      };
      if (wanted == null) {
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
            "status must be OPEN or OVERDUE (open conflicts), not '" + status + "'"));
      }
    }
    List<OpenConflict> open = conflicts.listOpen(tenantId, wanted);
    return ResponseEntity.ok(open);
  }

  @GetMapping("/{entityType}/{entityId}")
  ResponseEntity<?> show(@PathVariable("entityType") String entityType, @PathVariable("entityId") String entityId) {
    return conflicts.show(entityType, entityId)
        .<ResponseEntity<?>>map(ResponseEntity::ok)
        .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(ProblemDetail.forStatusAndDetail(
            HttpStatus.NOT_FOUND, "no conflict for " + entityType + " " + entityId)));
  }

  @PostMapping("/{entityType}/{entityId}/approve")
  ResponseEntity<ConflictState> approve(@PathVariable("entityType") String entityType,
      @PathVariable("entityId") String entityId, @RequestBody(required = false) Approval approval,
      Principal principal) {
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(conflicts.approve(entityType, entityId, byTheCaller(approval, principal)));
  }

  /** The approval as the authenticated caller's: its {@code by} is the principal's name, whatever the body said. */
  static Approval byTheCaller(Approval approval, Principal principal) {
    if (approval == null) {
      return null;
    }
    if (principal == null) {
      throw new IllegalStateException("an approval without an authenticated caller: is Spring Security configured?");
    }
    if (approval.by() != null && !approval.by().isBlank() && !approval.by().equals(principal.getName())) {
      log.info("approval by '{}' names \"by\": '{}', which is ignored: the audit records the authenticated user",
          principal.getName(), approval.by());
    }
    return new Approval(approval.resolution(), principal.getName(), approval.comment(), approval.revision());
  }

  /**
   * Temporal did not answer in time — typically a query that no worker picked up yet (workers busy or down): the
   * caller may try again, so 503 with Temporal's reason rather than a bare 500.
   */
  @ExceptionHandler(WorkflowServiceException.class)
  ResponseEntity<ProblemDetail> temporalUnavailable(WorkflowServiceException failure) {
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
        "Temporal could not answer for " + failure.getExecution().getWorkflowId() + ": " + cause.getMessage()
            + " (is a worker polling its task queue?)");
    problem.setTitle("Temporal unavailable");
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(problem);
  }

  @ExceptionHandler(ApprovalRejectedException.class)
  ResponseEntity<ProblemDetail> rejected(ApprovalRejectedException rejection) {
    HttpStatus status = switch (rejection.reason()) {
      case MALFORMED -> HttpStatus.BAD_REQUEST;
      case NO_OPEN_CONFLICT -> HttpStatus.NOT_FOUND;
      case STALE -> HttpStatus.CONFLICT;
    };
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, rejection.getMessage());
    problem.setTitle(switch (rejection.reason()) {
      case MALFORMED -> "Malformed approval";
      case NO_OPEN_CONFLICT -> "No open conflict";
      case STALE -> "Stale approval";
    });
    if (rejection.state() != null) {
      problem.setProperty("revision", rejection.state().revision());
      problem.setProperty("status", rejection.state().status());
    }
    return ResponseEntity.status(status).body(problem);
  }
}
