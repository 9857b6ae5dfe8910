package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * jack's packaged executable ({@code controller/target/jack-dist/jack/bin/jack}, what the build
 * ships) run as a process, as a user or a container runs it: its output in a log file under {@code
 * target/}, and an environment of the test's own (no AWS_, ACK_ or POD_NAMESPACE variable of the
 * machine's).
 */
final class JackProcess implements AutoCloseable {

  static final Path EXECUTABLE =
      Path.of("..", "controller", "target", "jack-dist", "jack", "bin", "jack");

  private final Process process;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private JackProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The packaged executable with {@code args}; JAVA_HOME is this JVM's. */
  static JackProcess start(String name, List<String> args, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(EXECUTABLE.toAbsolutePath().toString());
    command.addAll(args);
    Map<String, String> withJava = new java.util.HashMap<>(env);
    withJava.put("JAVA_HOME", System.getProperty("java.home"));
    return run(name, command, withJava);
  }

  /** {@code command}, which runs jack, with only PATH and {@code env} in its environment. */
  static JackProcess run(String name, List<String> command, Map<String, String> env) {
    try {
      Path log = Files.createDirectories(Path.of("target")).resolve(name + ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.redirectOutput(log.toFile());
      Map<String, String> environment = builder.environment();
      String path = environment.get("PATH");
      environment.clear();
      environment.put("PATH", path);
      environment.putAll(env);
      return new JackProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + EXECUTABLE, e);
    }
  }

  /** Whether jack's process still runs. */
  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until /readyz on {@code port} answers 200; fails with the log if jack exits first. */
  void awaitReady(int port) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              assertThat(process.isAlive()).as("jack runs; its log:\n%s", tail()).isTrue();
              return status(port, "/readyz") == 200;
            });
  }

  int status(int port, String path) {
    try {
      return http.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  String body(int port, String path) throws IOException, InterruptedException {
    return http.send(request(port, path), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static HttpRequest request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  /** The process's resident memory, in MiB (Linux's /proc), or -1 where there is none. */
  long residentMiB() {
    Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /**
   * The files jack's process and its children hold open (Linux's /proc), as paths seen from the
   * test's root: the JVM keeps each jar it has read a class from open.
   */
  List<String> openFiles() {
    List<String> files = new ArrayList<>();
    processes()
        .forEach(
            pid -> {
              try (Stream<Path> entries = Files.list(Path.of("/proc", pid, "fd"))) {
                entries.forEach(
                    fd -> {
                      try {
                        files.add(Files.readSymbolicLink(fd).toString());
                      } catch (IOException e) {
                        // closed meanwhile
                      }
                    });
              } catch (IOException e) {
                // exited meanwhile
              }
            });
    return files;
  }

  /**
   * The files mapped into the memory of jack's process and its children (Linux's /proc), as paths
   * seen from the test's root: the JVM maps its class-data-sharing archive, and closes it.
   */
  List<String> mappedFiles() {
    List<String> files = new ArrayList<>();
    processes()
        .forEach(
            pid -> {
              try {
                for (String line : Files.readAllLines(Path.of("/proc", pid, "maps"))) {
                  String[] fields = line.trim().split("\\s+", 6);
                  if (fields.length == 6 && fields[5].startsWith("/")) {
                    files.add(fields[5]);
                  }
                }
              } catch (IOException e) {
                // exited meanwhile
              }
            });
    return files;
  }

  private Stream<String> processes() {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants())
        .map(p -> String.valueOf(p.pid()));
  }

  /**
   * Sends SIGTERM to jack's JVM, as the runtime sends it to a container's first process (to the
   * command's child where the command only sets up its place, as unshare does), and answers how
   * jack exited.
   */
  int stop() throws InterruptedException {
    if (process.descendants().findAny().isPresent()) {
      process.descendants().forEach(ProcessHandle::destroy);
    } else {
      process.destroy();
    }
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("jack stops on SIGTERM").isTrue();
    return process.exitValue();
  }

  /** Kills jack's JVM with SIGKILL, as the OOM killer or a lost node would: nothing finishes. */
  void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("jack dies on SIGKILL").isTrue();
  }

  List<String> lines() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The log's errors, in either format: a text line's level, or a JSON line's. */
  List<String> errors() {
    return lines().stream()
        .filter(line -> line.contains(" ERROR ") || line.contains("\"level\":\"ERROR\""))
        .toList();
  }

  private String tail() {
    List<String> lines = lines();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
