package io.graphsync.app.sync;

import io.graphsync.workflows.sync.SyncPolicy;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How sync workflows retry and wait ({@code graphsync.sync.*}); becomes the {@link SyncPolicy} every
 * {@code SyncChangeEventWorkflowImpl} gets.
 *
 * @param retryWindow how long a sync retries transient failures (Neo4j or PostgreSQL down) before it is FAILED
 * @param decisionTimeout how long a FAILED sync waits for an operator's {@code retry} or {@code skip}
 * @param supersededCheck first interval at which a waiting FAILED sync checks whether a newer change of its
 *     entity reached the graph (doubles up to an hour)
 */
@ConfigurationProperties("graphsync.sync")
public record SyncWorkflowProperties(
    @DefaultValue("30m") Duration retryWindow,
    @DefaultValue("7d") Duration decisionTimeout,
    @DefaultValue("1m") Duration supersededCheck) {

  SyncPolicy policy() {
    return new SyncPolicy(retryWindow, decisionTimeout, supersededCheck);
  }
}
