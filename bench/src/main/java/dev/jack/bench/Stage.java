package dev.jack.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Where one controller runs alone: its process, its own fresh AWS endpoint, its namespace with a
 * watch on it and the fleet of resources in it. Closing it stops the controller, removes the
 * resources and stops the endpoint.
 */
final class Stage implements AutoCloseable {

  private final Launcher launcher;
  private final AwsEndpoint aws;
  private final SyncWatch watch;
  private final Fleet fleet;
  private final String namespace;
  private final Path logDir;
  private final Duration timeout;
  private final ServerProcesses servers;
  private ControllerProcess controller;

  Stage(
      Launcher launcher,
      AwsEndpoint aws,
      SyncWatch watch,
      Fleet fleet,
      String namespace,
      Path logDir,
      Duration timeout,
      ServerProcesses servers) {
    this.launcher = launcher;
    this.aws = aws;
    this.watch = watch;
    this.fleet = fleet;
    this.namespace = namespace;
    this.logDir = logDir;
    this.timeout = timeout;
    this.servers = servers;
  }

  /** The CPU time so far of this stage's moto and of the API server. */
  ServerProcesses.Cpu servers() {
    return servers.cpu(aws.motoPort());
  }

  /** Starts the controller; answers how long it took to be ready. */
  Duration startController() {
    controller = launcher.start(aws.url(), namespace, logDir);
    return controller.uptime();
  }

  /**
   * Stops the controller (SIGTERM) and starts a new process of it with the same flags; answers how
   * long the new one took to be ready.
   */
  Duration restartController() {
    controller.close();
    return startController();
  }

  Launcher launcher() {
    return launcher;
  }

  ControllerProcess controller() {
    return controller;
  }

  AwsEndpoint aws() {
    return aws;
  }

  SyncWatch watch() {
    return watch;
  }

  Fleet fleet() {
    return fleet;
  }

  List<Kind> kinds() {
    return launcher.kinds();
  }

  /**
   * Waits until {@code done} holds; fails after the stage's timeout with what was awaited, the
   * progress so far and the end of the controller's log, or as soon as the controller exits.
   */
  void await(String what, BooleanSupplier done, Supplier<String> progress) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      controller.checkAlive();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            launcher.title()
                + ": "
                + what
                + " did not happen within "
                + timeout.toSeconds()
                + " s ("
                + progress.get()
                + ")\n"
                + controller.logTail());
      }
      Pause.of(Duration.ofMillis(100));
    }
  }

  /**
   * Waits until the endpoint has seen no call for {@code quiet}: the controller has finished what
   * it was doing. Fails after the stage's timeout, as a controller that never stops calling AWS (a
   * delta that never converges, at a short resync) would.
   */
  void awaitQuiet(Duration quiet) {
    long[] last = {aws.mark(), System.nanoTime()};
    await(
        "a pause of " + quiet.toSeconds() + " s in its AWS calls",
        () -> {
          long calls = aws.mark();
          long now = System.nanoTime();
          if (calls != last[0]) {
            last[0] = calls;
            last[1] = now;
            return false;
          }
          return now - last[1] >= quiet.toNanos();
        },
        () -> aws.mark() + " calls so far");
  }

  @Override
  public void close() {
    if (controller != null) {
      controller.close();
    }
    try {
      fleet.removeAll(List.of(Kind.values()));
    } finally {
      fleet.close();
      watch.close();
      aws.close();
    }
  }
}
