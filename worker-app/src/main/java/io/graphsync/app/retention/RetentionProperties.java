package io.graphsync.app.retention;

import io.graphsync.workflows.retention.RetentionPolicy;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retention of graphsync's own records ({@code graphsync.retention.*}): the Temporal Schedule worker-app installs at
 * start and how long each kind is kept. A kind set to {@code 0} is kept for ever.
 *
 * @param scheduleEnabled install (create or update) the Schedule at start
 * @param scheduleId the Schedule's id (Web UI → Schedules, {@code temporal schedule})
 * @param interval how often it runs
 * @param findings finished reconciliation runs and their findings
 * @param rejects capture rejects
 * @param conflictAudit decided conflicts' audit rows (a record of who decided what: kept longer)
 */
@ConfigurationProperties("graphsync.retention")
public record RetentionProperties(
    @DefaultValue("true") boolean scheduleEnabled,
    @DefaultValue("graphsync-retention") String scheduleId,
    @DefaultValue("24h") Duration interval,
    @DefaultValue("30d") Duration findings,
    @DefaultValue("30d") Duration rejects,
    @DefaultValue("365d") Duration conflictAudit) {

  RetentionPolicy policy() {
    return new RetentionPolicy(keptFor(findings), keptFor(rejects), keptFor(conflictAudit), 5_000);
  }

  private static Duration keptFor(Duration retention) {
    return retention == null || retention.isZero() ? null : retention;
  }
}
