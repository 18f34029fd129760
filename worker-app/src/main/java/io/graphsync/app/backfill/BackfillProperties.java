package io.graphsync.app.backfill;

import io.graphsync.workflows.bulk.BackfillPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Backfills ({@code graphsync.backfill.*}): the worker's defaults for every {@code BackfillWorkflow} (a request's own
 * page size wins).
 *
 * @param pageSize rows per page: one PostgreSQL read, one Neo4j transaction, one status statement
 * @param pagesPerActivity pages per {@code loadPages} activity (it heartbeats its cursor after each)
 * @param callsPerRun {@code loadPages} calls per workflow run before it continues as new
 */
@ConfigurationProperties("graphsync.backfill")
public record BackfillProperties(
    @DefaultValue("1000") int pageSize,
    @DefaultValue("20") int pagesPerActivity,
    @DefaultValue("500") int callsPerRun) {

  BackfillPolicy policy() {
    return new BackfillPolicy(pageSize, pagesPerActivity, callsPerRun);
  }
}
