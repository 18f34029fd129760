package io.graphsync.app.resolve;

import io.graphsync.workflows.resolve.ResolutionPolicy;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Manual conflict resolution ({@code graphsync.resolve.*}).
 *
 * @param taskQueue where the {@code ManualResolutionWorkflow}s run (the queue that also runs {@code ApplyToGraph})
 * @param remindAfter an undecided conflict becomes OVERDUE ({@code ConflictStatus} search attribute) after this long
 * @param signalsPerRun a conflict's workflow continues as new after this many signals in one run
 * @param maxListed at most this many open conflicts in {@code GET /api/conflicts}
 */
@ConfigurationProperties("graphsync.resolve")
public record ResolveProperties(
    @DefaultValue("sync-default") String taskQueue,
    @DefaultValue("24h") Duration remindAfter,
    @DefaultValue("500") int signalsPerRun,
    @DefaultValue("1000") int maxListed) {

  ResolutionPolicy policy() {
    return new ResolutionPolicy(remindAfter, signalsPerRun);
  }
}
