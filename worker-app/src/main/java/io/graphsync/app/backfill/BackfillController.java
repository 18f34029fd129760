package io.graphsync.app.backfill;

import io.graphsync.starters.bulk.BackfillStarter;
import io.graphsync.workflows.bulk.BackfillRequest;
import io.graphsync.workflows.mapping.GraphMapping;
import io.temporal.api.common.v1.WorkflowExecution;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Backfills over HTTP: {@code POST /api/backfill} with a {@link BackfillRequest} as JSON (every field optional;
 * {@code {}} loads every mapped table) starts a {@code BackfillWorkflow}: 202 with its {@code workflowId} and
 * {@code runId}; 400 for a table the mapping does not have or a key range over several tables; 409 while a backfill of
 * the same scope runs. Progress: {@code temporal workflow query --workflow-id <id> --type progress}, or the
 * workflow's current details in the Web UI.
 */
@RestController
@RequestMapping("/api/backfill")
class BackfillController {

  private final BackfillStarter starter;
  private final GraphMapping mapping;

  BackfillController(BackfillStarter starter, GraphMapping mapping) {
    this.starter = starter;
    this.mapping = mapping;
  }

  @PostMapping
  ResponseEntity<?> start(@RequestBody(required = false) BackfillRequest body) {
    BackfillRequest request = body == null ? BackfillRequest.all() : body;
    List<String> unknown = request.tables().stream()
        .filter(table -> mapping.table(table).isEmpty() && mapping.joinTable(table).isEmpty())
        .toList();
    if (!unknown.isEmpty()) {
      return problem(HttpStatus.BAD_REQUEST, "not mapped: " + unknown);
    }
    if ((request.fromKey() != null || request.toKey() != null)
        && (request.tables().size() != 1 || mapping.table(request.tables().get(0)).isEmpty())) {
      return problem(HttpStatus.BAD_REQUEST, "a key range (fromKey/toKey) needs exactly one entity table");
    }
    if (request.continuation() != null) {
      return problem(HttpStatus.BAD_REQUEST, "continuation is set by the workflow itself");
    }
    WorkflowExecution execution = starter.start(request);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("workflowId", execution.getWorkflowId(),
        "runId", execution.getRunId()));
  }

  @ExceptionHandler(BackfillStarter.AlreadyRunning.class)
  ResponseEntity<ProblemDetail> running(BackfillStarter.AlreadyRunning running) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, running.getMessage());
    problem.setTitle("Backfill already running");
    problem.setProperty("workflowId", running.workflowId());
    return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
  }

  private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
    return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
  }
}
