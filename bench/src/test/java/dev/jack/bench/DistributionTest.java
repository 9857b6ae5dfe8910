package dev.jack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistributionTest {

  @Test
  void percentilesAreNearestRankValuesThatWereMeasured() {
    List<Double> values = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      values.add((double) i);
    }
    Collections.shuffle(values);
    Distribution d = Distribution.of(values);
    assertThat(d.count()).isEqualTo(20);
    assertThat(d.p50()).isEqualTo(10.0);
    assertThat(d.p95()).isEqualTo(19.0);
    assertThat(d.max()).isEqualTo(20.0);
  }

  @Test
  void aSingleValueIsEveryPercentile() {
    Distribution d = Distribution.of(List.of(2.5));
    assertThat(List.of(d.p50(), d.p95(), d.max())).containsOnly(2.5);
  }

  @Test
  void anEmptySetHasNoPercentiles() {
    assertThatThrownBy(() -> Distribution.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
