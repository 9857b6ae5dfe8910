package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncSlotsTest {

  private final List<ResourceID> woken = new ArrayList<>();
  private final SyncSlots slots = new SyncSlots(2, woken::add);

  private static ResourceID id(String name) {
    return new ResourceID(name, "ns");
  }

  @Test
  void aKindReconcilesAtMostItsLimitAtOnce() {
    assertThat(slots.enter(id("a"))).isTrue();
    assertThat(slots.enter(id("b"))).isTrue();
    assertThat(slots.enter(id("c"))).as("over the limit of 2").isFalse();
    assertThat(slots.waiting()).isEqualTo(1);
    assertThat(woken).as("no slot freed yet").isEmpty();
  }

  @Test
  void eachFreedSlotWakesTheResourceThatWaitedLongest() {
    slots.enter(id("a"));
    slots.enter(id("b"));
    slots.enter(id("c"));
    slots.enter(id("d"));
    slots.enter(id("c"));
    assertThat(slots.waiting()).as("queued once however often it asks").isEqualTo(2);

    slots.leave();
    assertThat(woken).containsExactly(id("c"));
    assertThat(slots.enter(id("c"))).isTrue();
    slots.leave();
    assertThat(woken).containsExactly(id("c"), id("d"));
    assertThat(slots.enter(id("d"))).isTrue();
    assertThat(slots.waiting()).isZero();
  }

  @Test
  void aWokenResourceThatFindsTheSlotTakenWaitsAgainAndNothingIsLost() {
    slots.enter(id("a"));
    slots.enter(id("b"));
    slots.enter(id("c"));
    slots.leave();
    assertThat(woken).containsExactly(id("c"));
    assertThat(slots.enter(id("e"))).as("an event of its own came first").isTrue();
    assertThat(slots.enter(id("c"))).isFalse();
    assertThat(slots.waiting()).isEqualTo(1);
    slots.leave();
    assertThat(woken).containsExactly(id("c"), id("c"));
    assertThat(slots.enter(id("c"))).isTrue();
  }

  @Test
  void aKindNeedsAtLeastOneSlot() {
    assertThatThrownBy(() -> new SyncSlots(0, woken::add))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
