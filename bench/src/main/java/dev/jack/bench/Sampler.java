package dev.jack.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a scenario as it runs: the controller's resident memory and CPU time, the calls the
 * endpoint has seen and how many resources are synced, every {@code period}. The peak memory of a
 * scenario is the highest sample (and VmHWM, the kernel's own peak, is reported beside it).
 */
final class Sampler implements AutoCloseable {

  /** One sample, {@code seconds} after the scenario's start. */
  record Sample(double seconds, double rssMiB, double cpuSeconds, int calls, int synced) {}

  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "sampler");
            thread.setDaemon(true);
            return thread;
          });

  private Sampler() {}

  static Sampler start(
      ControllerProcess controller,
      AwsEndpoint aws,
      SyncWatch watch,
      List<Kind> kinds,
      long originNanos,
      Duration period) {
    Sampler sampler = new Sampler();
    Runnable sample =
        () -> {
          try {
            ProcessUsage usage = controller.usage();
            int synced = kinds.stream().mapToInt(watch::syncedCount).sum();
            sampler.samples.add(
                new Sample(
                    (System.nanoTime() - originNanos) / 1e9,
                    usage.rssMiB(),
                    usage.cpuSeconds(),
                    aws.mark(),
                    synced));
          } catch (RuntimeException gone) {
            // The controller exited: the scenario notices and reports it.
          }
        };
    sampler.timer.scheduleAtFixedRate(sample, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return sampler;
  }

  List<Sample> samples() {
    return List.copyOf(samples);
  }

  double peakRssMiB() {
    return samples.stream().mapToDouble(Sample::rssMiB).max().orElse(0);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
