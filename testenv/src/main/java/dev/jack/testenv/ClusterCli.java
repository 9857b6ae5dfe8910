package dev.jack.testenv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl or helm against an API server, as a user would. */
public final class ClusterCli {

  private static final long TIMEOUT_SECONDS = 120;

  private final Path binary;
  private final Path kubeconfig;

  /** {@code binary} takes {@code --kubeconfig}, as kubectl and helm do. */
  public ClusterCli(Path binary, Path kubeconfig) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
  }

  /** kubectl as the API server's admin. */
  public static ClusterCli kubectl(KubeApiServer kube) {
    return new ClusterCli(Binaries.fromEnvironment().kubectl(), kube.kubeconfig());
  }

  /** helm as the API server's admin. */
  public static ClusterCli helm(KubeApiServer kube) {
    return new ClusterCli(Binaries.fromEnvironment().helm(), kube.kubeconfig());
  }

  /** What one invocation printed (stdout and stderr together) and how it exited. */
  public record Result(int exitCode, String output) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  /** Runs the tool with these arguments and returns what happened. */
  public Result run(String... args) {
    List<String> command =
        new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    try {
      // The output goes to a file: reading a pipe until kubectl ends would wait past the timeout.
      java.nio.file.Path log =
          java.nio.file.Files.createTempFile(binary.getFileName().toString(), ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      String output = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
      java.nio.file.Files.deleteIfExists(log);
      if (!finished) {
        process.destroyForcibly();
        throw new IllegalStateException(
            binary.getFileName()
                + " "
                + String.join(" ", args)
                + " did not finish within "
                + TIMEOUT_SECONDS
                + "s:\n"
                + output);
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + binary, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + binary, e);
    }
  }

  /** Runs the tool and returns its output; fails with that output when it fails. */
  public String succeed(String... args) {
    Result result = run(args);
    if (!result.succeeded()) {
      throw new AssertionError(
          binary.getFileName()
              + " "
              + String.join(" ", args)
              + " exited with "
              + result.exitCode()
              + ":\n"
              + result.output());
    }
    return result.output();
  }
}
