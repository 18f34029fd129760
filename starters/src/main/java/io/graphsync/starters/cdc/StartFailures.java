package io.graphsync.starters.cdc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.errordetails.v1.ClientVersionNotSupportedFailure;
import io.temporal.api.errordetails.v1.NamespaceInvalidStateFailure;
import io.temporal.api.errordetails.v1.NamespaceNotActiveFailure;
import io.temporal.api.errordetails.v1.NamespaceUnavailableFailure;
import io.temporal.api.errordetails.v1.ServerVersionNotSupportedFailure;
import io.temporal.common.converter.DataConverterException;
import io.temporal.serviceclient.StatusUtils;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which workflow-start failures can never heal for the change that caused them, and so must not block the stream.
 *
 * <p>A start that Temporal rejects because of the change itself — its workflow id is too long, its payload is over
 * the server's blob size limit, an argument is invalid ({@code INVALID_ARGUMENT}), a precondition that no retry
 * changes ({@code FAILED_PRECONDITION}), a request larger than the server's gRPC message limit, or an input the data
 * converter cannot serialise — fails the same way on every redelivery: it is rejected, kept in
 * {@code graphsync.capture_rejects} and acknowledged. Everything else is treated as an outage and blocks the batch
 * until it heals: {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, {@code RESOURCE_EXHAUSTED} (rate limits), {@code
 * ABORTED}, {@code INTERNAL}, {@code UNKNOWN}, and the configuration errors that an operator fixes for every change
 * at once (a namespace that does not exist, is not active here or is being deleted; missing permissions; an
 * unsupported client or server version; a search attribute that is not registered): rejecting every change
 * because of those would empty the stream into the rejects table.
 */
final class StartFailures {

  /**
   * {@code INVALID_ARGUMENT}s that are about the configuration, not the change: an unregistered search attribute is
   * fixed by registering it, after which every change starts.
   */
  private static final List<String> CONFIGURATION_MESSAGES = List.of(
      "no mapping defined for search attribute",
      "is not defined");

  private static final List<Class<? extends com.google.protobuf.Message>> HEALING_PRECONDITIONS = List.of(
      NamespaceNotActiveFailure.class,
      NamespaceInvalidStateFailure.class,
      NamespaceUnavailableFailure.class,
      ClientVersionNotSupportedFailure.class,
      ServerVersionNotSupportedFailure.class);

  private StartFailures() {}

  /**
   * The reason Temporal will never accept this start, or empty when the failure is an outage (or unknown) and the
   * start must be retried.
   */
  static Optional<ChangeEventWorkflowStarter.StartOutcome.Rejected> rejection(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StatusRuntimeException status) {
        return rejection(status);
      }
      if (t instanceof DataConverterException) {
        return Optional.of(new ChangeEventWorkflowStarter.StartOutcome.Rejected("DATA_CONVERTER",
            PostgresCapture.describe(t)));
      }
    }
    return Optional.empty();
  }

  private static Optional<ChangeEventWorkflowStarter.StartOutcome.Rejected> rejection(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    String description = String.valueOf(e.getStatus().getDescription());
    String lower = description.toLowerCase(Locale.ROOT);
    boolean permanent = switch (code) {
      case INVALID_ARGUMENT -> CONFIGURATION_MESSAGES.stream().noneMatch(lower::contains);
      case FAILED_PRECONDITION -> HEALING_PRECONDITIONS.stream().noneMatch(type -> StatusUtils.hasFailure(e, type));
      // gRPC's own limit on the request: this request will always be too large
      case RESOURCE_EXHAUSTED -> lower.contains("message larger than max");
      default -> false;
    };
    return permanent
        ? Optional.of(new ChangeEventWorkflowStarter.StartOutcome.Rejected(code.name(), description))
        : Optional.empty();
  }

  /**
   * Runs one workflow start: STARTED, ALREADY_STARTED (the id exists: a replay), or the rejection of a start Temporal
   * will never accept; an outage throws.
   */
  static ChangeEventWorkflowStarter.StartOutcome classify(Runnable start) {
    try {
      start.run();
      return ChangeEventWorkflowStarter.StartOutcome.STARTED;
    } catch (io.temporal.client.WorkflowExecutionAlreadyStarted duplicate) {
      return ChangeEventWorkflowStarter.StartOutcome.ALREADY_STARTED;
    } catch (RuntimeException e) {
      Optional<ChangeEventWorkflowStarter.StartOutcome.Rejected> rejected = rejection(e);
      if (rejected.isPresent()) {
        return rejected.get();
      }
      throw e;
    }
  }
}
