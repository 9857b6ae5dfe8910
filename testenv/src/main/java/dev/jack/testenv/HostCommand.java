package dev.jack.testenv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the host's administration tools (ip, iptables, nft, umount, openssl, ctr) to their end: the
 * one-node cluster sets the machine up and restores it with them.
 */
final class HostCommand {

  /** Where administration tools live; a test's PATH often lacks the sbin directories. */
  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final long TIMEOUT_SECONDS = 120;

  private HostCommand() {}

  /** What one command printed (stdout and stderr together) and how it exited. */
  record Result(List<String> command, int exitCode, String output) {
    boolean succeeded() {
      return exitCode == 0;
    }

    Result orThrow() {
      if (!succeeded()) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited with " + exitCode + ":\n" + output);
      }
      return this;
    }
  }

  static Result run(String... command) {
    return run(null, List.of(command));
  }

  /** Runs {@code command} with {@code input} (or nothing) on its standard input. */
  static Result run(String input, List<String> command) {
    try {
      Path out = Files.createTempFile("jack-host-command", ".log");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("PATH", PATH);
        Process process = builder.start();
        try (var stdin = process.getOutputStream()) {
          if (input != null) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
          }
        }
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(
              String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + "s");
        }
        return new Result(command, process.exitValue(), Files.readString(out));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  /** Runs {@code command}, failing with its output when it fails. */
  static String succeed(String... command) {
    return run(command).orThrow().output();
  }

  /** The lines a command prints; it must succeed. */
  static List<String> lines(String... command) {
    return new ArrayList<>(succeed(command).lines().toList());
  }

  /** Whether {@code name} is an executable in {@link #PATH}. */
  static boolean exists(String name) {
    for (String dir : PATH.split(":")) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
