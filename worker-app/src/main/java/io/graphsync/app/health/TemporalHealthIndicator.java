package io.graphsync.app.health;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** Actuator health of the Temporal frontend this worker is connected to (gRPC health check + server version). */
@Component("temporal")
class TemporalHealthIndicator extends AbstractHealthIndicator {

  private final WorkflowServiceStubs stubs;

  TemporalHealthIndicator(WorkflowServiceStubs stubs) {
    super("Temporal health check failed");
    this.stubs = stubs;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    var health = stubs.healthCheck();
    var info = stubs.blockingStub().withDeadlineAfter(5, TimeUnit.SECONDS)
        .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    builder.withDetail("target", stubs.getOptions().getTarget())
        .withDetail("serverVersion", info.getServerVersion())
        .withDetail("status", health.getStatus().name());
    if (health.getStatus() == io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING) {
      builder.up();
    } else {
      builder.down();
    }
  }
}
