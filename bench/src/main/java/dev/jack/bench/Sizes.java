package dev.jack.bench;

import java.util.List;

/**
 * The sizes of a run. {@code burst}: resources of each kind created at once; {@code steady}:
 * converged resources in the steady state (half of each kind: the burst's, topped up); {@code
 * scaling}: the burst sizes per kind of the growth runs (ACK's only up to {@code ackScalingMax});
 * {@code footprint}: resources of each kind jack with every service holds when its memory is read.
 */
record Sizes(int burst, int steady, List<Integer> scaling, int ackScalingMax, int footprint) {}
