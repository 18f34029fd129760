package io.graphsync.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FailureTypeTest {

  @Test
  void givenTheEnum_whenNonRetryableListed_itHoldsExactlyTheTypesThatAreNotRetryable() {
    assertThat(FailureType.nonRetryable()).containsExactly("InvalidData", "UnmappedTable", "SchemaChanged",
        "DecisionTimeout", "PermissionDenied");
    assertThat(FailureType.nonRetryable()).doesNotContain(FailureType.BACKFLOW_PENDING.type());
  }

  @Test
  void givenRecordedTypeStrings_whenChecked_onlyNonRetryableTypesAreNonRetryable() {
    Arrays.stream(FailureType.values()).forEach(type ->
        assertThat(FailureType.isNonRetryable(type.type())).isEqualTo(!type.retryable()));
    assertThat(FailureType.isNonRetryable("IllegalStateException")).isFalse();
    assertThat(FailureType.isNonRetryable(null)).isFalse();
  }

  @Test
  void givenAConstant_whenItsTypeIsRecorded_itIsCamelCase() {
    assertThat(FailureType.PERMISSION_DENIED.type()).isEqualTo("PermissionDenied");
    assertThat(FailureType.INVALID_DATA.type()).isEqualTo("InvalidData");
  }

  @Test
  void givenTheArray_whenChanged_theSourceIsNot() {
    FailureType.nonRetryable()[0] = "Changed";
    assertThat(FailureType.nonRetryable()[0]).isEqualTo("InvalidData");
  }
}
