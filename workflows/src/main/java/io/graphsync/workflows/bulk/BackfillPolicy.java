package io.graphsync.workflows.bulk;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The worker's backfill settings (worker-app: {@code graphsync.backfill.*}); fixed once per workflow run with a side
 * effect, so a changed configuration never changes a running backfill's replay.
 *
 * @param pageSize rows per page when the request names none
 * @param pagesPerActivity pages per {@code loadPages} call (fewer workflow tasks; each page heartbeats)
 * @param callsPerRun {@code loadPages} calls per workflow run before it continues as new
 */
public record BackfillPolicy(
    @JsonProperty("pageSize") int pageSize,
    @JsonProperty("pagesPerActivity") int pagesPerActivity,
    @JsonProperty("callsPerRun") int callsPerRun) {

  public static final BackfillPolicy DEFAULT = new BackfillPolicy(1000, 20, 500);

  public BackfillPolicy {
    if (pageSize <= 0 || pagesPerActivity <= 0 || callsPerRun <= 0) {
      throw new IllegalArgumentException("backfill settings must be positive: " + pageSize + ", "
          + pagesPerActivity + ", " + callsPerRun);
    }
    pageSize = Math.min(pageSize, BackfillRequest.MAX_PAGE_SIZE);
  }
}
