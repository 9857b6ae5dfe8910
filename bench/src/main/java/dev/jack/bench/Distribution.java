package dev.jack.bench;

import java.util.List;

/**
 * How a set of durations (seconds) spreads: nearest-rank percentiles, so that every figure reported
 * is one that was measured, never an interpolation between two.
 */
public record Distribution(int count, double p50, double p95, double max) {

  /** The distribution of {@code values}; fails on an empty list, which has no percentiles. */
  public static Distribution of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values: a distribution needs at least one");
    }
    List<Double> sorted = values.stream().sorted().toList();
    return new Distribution(
        sorted.size(),
        percentile(sorted, 50),
        percentile(sorted, 95),
        sorted.get(sorted.size() - 1));
  }

  /** The nearest-rank {@code p}th percentile of ascending {@code sorted}. */
  static double percentile(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
