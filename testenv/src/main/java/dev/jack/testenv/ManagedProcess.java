package dev.jack.testenv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A server process started by the test environment: its output goes to a log file, it is stopped
 * when closed or when the JVM exits, and a failure to start reports the end of its log.
 */
final class ManagedProcess implements AutoCloseable {

  private static final int LOG_LINES_ON_FAILURE = 30;

  private final String name;
  private final Process process;
  private final Path log;
  private final Thread shutdownHook;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.shutdownHook = new Thread(process::destroyForcibly, "stop-" + name);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  static ManagedProcess start(String name, List<String> command, Path workDir) {
    Path log = workDir.resolve(name + ".log");
    try {
      Files.createDirectories(workDir);
      Process process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new ManagedProcess(name, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
    }
  }

  /** Polls {@code ready} until it holds; fails early if the process dies. */
  void awaitReady(BooleanSupplier ready, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with code " + process.exitValue() + " while starting:\n" + logTail());
      }
      if (ready.getAsBoolean()) {
        return;
      }
      sleep(Duration.ofMillis(200));
    }
    close();
    throw new IllegalStateException(
        name + " was not ready within " + timeout.toSeconds() + "s:\n" + logTail());
  }

  /** Stops the process where it is (SIGSTOP) for {@code pause}, then lets it go on (SIGCONT). */
  void freeze(Duration pause) {
    signal("STOP");
    try {
      sleep(pause);
    } finally {
      signal("CONT");
    }
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + name + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot signal " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> tail =
          lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size());
      return "--- last lines of " + log + " ---\n" + String.join("\n", tail);
    } catch (IOException e) {
      return "(no log at " + log + ": " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or about to; nothing left to undo.
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
