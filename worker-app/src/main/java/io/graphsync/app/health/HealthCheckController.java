package io.graphsync.app.health;

import io.graphsync.starters.health.HealthCheckStarter;
import io.graphsync.workflows.health.HealthReport;
import java.time.Duration;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/health-check}: runs the health-check workflow end to end through a worker. */
@RestController
@RequestMapping("/api")
class HealthCheckController {

  private final HealthCheckStarter starter;

  HealthCheckController(HealthCheckStarter starter) {
    this.starter = starter;
  }

  @PostMapping("/health-check")
  HealthReport runHealthCheck() {
    return starter.runHealthCheck(Duration.ofSeconds(30));
  }
}
