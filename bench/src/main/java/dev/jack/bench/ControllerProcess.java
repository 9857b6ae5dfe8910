package dev.jack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A controller under test, run as a process the way a user runs it: only PATH and the given
 * variables in its environment (none of the machine's AWS_ variables), its output in a log file. It
 * is killed when closed and when the harness's JVM exits (Ctrl-C included), so that no run leaves
 * one behind.
 */
final class ControllerProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;
  private final long clockTicks;

  /** When it was started, in {@link System#nanoTime()}'s time. */
  private final long started;

  private final Thread shutdownHook;

  private ControllerProcess(String name, Process process, Path log, long clockTicks, long started) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.clockTicks = clockTicks;
    this.started = started;
    this.shutdownHook = new Thread(this::kill, "stop-" + name);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  static ControllerProcess start(
      String name, List<String> command, Map<String, String> env, Path logDir, long clockTicks) {
    try {
      Path log = Files.createDirectories(logDir).resolve(name + ".log");
      for (int i = 2; Files.exists(log); i++) {
        // A restarted controller keeps the earlier process's log beside its own.
        log = logDir.resolve(name + "-" + i + ".log");
      }
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.redirectOutput(log.toFile());
      Map<String, String> environment = builder.environment();
      String path = environment.get("PATH");
      environment.clear();
      environment.put("PATH", path);
      environment.putAll(env);
      long started = System.nanoTime();
      return new ControllerProcess(name, builder.start(), log, clockTicks, started);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
    }
  }

  String name() {
    return name;
  }

  /** How long it has run. */
  Duration uptime() {
    return uptimeAt(System.nanoTime());
  }

  /** How long it had run at {@code nanos}, a moment in {@link System#nanoTime()}'s time. */
  Duration uptimeAt(long nanos) {
    return Duration.ofNanos(nanos - started);
  }

  /** Waits until {@code readyz} answers 200; fails with the log's end if the process exits. */
  Duration awaitReady(URI readyz, Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    while (uptime().compareTo(timeout) < 0) {
      checkAlive();
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return uptime();
        }
      } catch (IOException notYet) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      Pause.of(Duration.ofMillis(100));
    }
    throw new IllegalStateException(
        name + " was not ready within " + timeout.toSeconds() + " s:\n" + logTail());
  }

  /** Fails, with the end of the log, when the controller has exited. */
  void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          name + " exited with code " + process.exitValue() + ":\n" + logTail());
    }
  }

  ProcessUsage usage() {
    checkAlive();
    return ProcessUsage.of(process.pid(), clockTicks);
  }

  /** SIGTERM, as Kubernetes stops a pod; SIGKILL when it has not exited within 30 s. */
  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
    }
  }

  private void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "--- last lines of "
          + log
          + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or about to.
    }
  }
}
