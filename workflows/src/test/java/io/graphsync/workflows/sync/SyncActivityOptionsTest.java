package io.graphsync.workflows.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SyncActivityOptionsTest {

  private static SyncPolicy window(Duration retryWindow) {
    return new SyncPolicy(retryWindow, Duration.ofDays(1), Duration.ofMinutes(1));
  }

  @Test
  void givenAThirtyMinuteWindow_itAllowsBackoffAttemptsThatCoverIt() {
    // 1+2+4+8+16+32 s = 63 s, then 29 intervals of 60 s reach 1,803 s >= 1,800 s: 1 + 6 + 29 attempts
    assertThat(SyncActivityOptions.maxAttempts(window(Duration.ofMinutes(30)))).isEqualTo(36);
  }

  @Test
  void givenAShortWindow_itStillRetriesAtLeastOnce() {
    assertThat(SyncActivityOptions.maxAttempts(window(Duration.ofMillis(1)))).isEqualTo(2);
    assertThat(SyncActivityOptions.maxAttempts(window(Duration.ofSeconds(3)))).isEqualTo(3);
  }

  @Test
  void givenAPolicy_theWritesRetryForItsWindowAndNeverRetryBadData() {
    var retry = SyncActivityOptions.graphWrite(window(Duration.ofMinutes(30))).getRetryOptions();
    assertThat(retry.getMaximumAttempts()).isEqualTo(36);
    assertThat(retry.getMaximumInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(retry.getDoNotRetry()).contains("InvalidData", "UnmappedTable", "SchemaChanged");
  }
}
