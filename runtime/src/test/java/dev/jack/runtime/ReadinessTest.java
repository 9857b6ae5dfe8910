package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jack.api.descriptor.KindDescriptor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A kind's readiness rule applied to what AWS reports. */
class ReadinessTest {

  private static KindDescriptor table(KindDescriptor.Readiness rule) {
    return TestDescriptors.kind("dynamodb", "Table", List.of(), rule, Map.of(), null);
  }

  private static final KindDescriptor TABLE =
      table(
          new KindDescriptor.Readiness(
              "status.tableStatus",
              List.of("ACTIVE", "ARCHIVED"),
              List.of("INACCESSIBLE_ENCRYPTION_CREDENTIALS"),
              List.of("DELETED")));

  private static ResourceState withStatus(String tableStatus) {
    ResourceState state = ResourceState.empty();
    if (tableStatus != null) {
      state.status().set("tableStatus", JsonNodeFactory.instance.textNode(tableStatus));
    }
    return state;
  }

  @Test
  void aReadyStateIsReady() {
    assertThat(Readiness.of(TABLE, withStatus("ACTIVE")).ready()).isTrue();
    assertThat(Readiness.of(table(null), withStatus(null)).ready()).isTrue();
  }

  @Test
  void aStateOnItsWaySaysWhatItWaitsFor() {
    Readiness creating = Readiness.of(TABLE, withStatus("CREATING"));
    assertThat(creating.ready()).isFalse();
    assertThat(creating.failed()).isFalse();
    assertThat(creating.message())
        .isEqualTo("Waiting for AWS: tableStatus is CREATING, ready when ACTIVE or ARCHIVED");
    assertThat(Readiness.of(TABLE, withStatus(null)).message()).contains("tableStatus is unknown");
  }

  @Test
  void aStateItCanNeverLeaveIsAFailure() {
    Readiness failed = Readiness.of(TABLE, withStatus("INACCESSIBLE_ENCRYPTION_CREDENTIALS"));
    assertThat(failed.failed()).isTrue();
    assertThat(failed.message()).contains("cannot become ready");
  }

  @Test
  void aStateThatMeansDeletedIsGone() {
    assertThat(Readiness.gone(TABLE, withStatus("DELETED"))).isTrue();
    assertThat(Readiness.gone(TABLE, withStatus("ACTIVE"))).isFalse();
    assertThat(Readiness.gone(TABLE, withStatus(null))).isFalse();
    assertThat(Readiness.gone(table(null), withStatus("DELETED"))).isFalse();
  }
}
