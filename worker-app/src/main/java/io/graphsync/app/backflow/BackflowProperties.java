package io.graphsync.app.backflow;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The flow from Neo4j back to PostgreSQL ({@code graphsync.backflow.*}), for the cases the mapping declares under
 * {@code backflow:} (none: nothing runs).
 *
 * @param pollerEnabled start the poller workflow at start-up (idempotent: a running poller is left as it is)
 * @param pollInterval the pause between polls that found nothing more; fixed in the poller's state when it starts
 */
@ConfigurationProperties("graphsync.backflow")
public record BackflowProperties(
    @DefaultValue("true") boolean pollerEnabled,
    @DefaultValue("5s") Duration pollInterval) {}
