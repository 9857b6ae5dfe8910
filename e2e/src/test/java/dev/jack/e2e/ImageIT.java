package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jack.api.AckCondition;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.Ports;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image the build makes ({@code image/target/jib-image.tar}, OCI) holds everything
 * jack needs and nothing of the host's: its layers are unpacked into a root of their own, and jack
 * runs there (chroot, a mount namespace with its own /proc, as a container runtime would give it)
 * as the image's non-root user, against the real API server and moto.
 */
@JackIntegrationTest
class ImageIT {

  private static final Path IMAGE = Path.of("..", "image", "target", "jib-image.tar");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path unpacked;
  private static Path root;
  private static JsonNode config;

  @BeforeAll
  static void unpack() throws Exception {
    assumeThat(System.getProperty("user.name"))
        .as("unpacking an image into a root and running it there needs root")
        .isEqualTo("root");
    unpacked = Files.createDirectories(Path.of("target", "image"));
    clear(unpacked);
    root = Files.createDirectories(unpacked.resolve("rootfs"));
    run(List.of("tar", "-xf", IMAGE.toAbsolutePath().toString(), "-C", unpacked.toString()));
    JsonNode index = JSON.readTree(unpacked.resolve("index.json").toFile());
    JsonNode manifest = JSON.readTree(blob(index.path("manifests").get(0).path("digest")).toFile());
    config = JSON.readTree(blob(manifest.path("config").path("digest")).toFile()).path("config");
    long compressed = 0;
    for (JsonNode layer : manifest.path("layers")) {
      compressed += layer.path("size").asLong();
      run(
          List.of(
              "tar",
              "--warning=no-unknown-keyword",
              "-xzf",
              blob(layer.path("digest")).toAbsolutePath().toString(),
              "-C",
              root.toString()));
    }
    Files.createDirectories(root.resolve("proc"));
    System.out.printf(
        "ImageIT: the image is %d MiB compressed in %d layers%n",
        compressed >> 20, manifest.path("layers").size());
  }

  @AfterAll
  static void clean() throws IOException {
    if (unpacked != null) {
      clear(unpacked);
    }
  }

  @Test
  void theImageRunsAsItsNonRootUserFromTheJvmItHolds() {
    assertThat(config.path("User").asText()).isEqualTo("65532:65532");
    assertThat(entrypoint()).first().isEqualTo("/opt/jack/jre/bin/java");
    assertThat(root.resolve("usr")).as("no distribution: only what jack needs").doesNotExist();
    assertThat(root.resolve("bin")).as("not even a shell").doesNotExist();
  }

  @Test
  void jackRunsInsideTheImageAndReconciles(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns)
      throws Exception {
    RunningController.installCrds(client);
    // The admin's kubeconfig, with its CA, inside the image's /tmp (an emptyDir in a pod).
    Path tmp = root.resolve("tmp");
    String kubeconfig = Files.readString(kube.kubeconfig());
    String ca =
        kubeconfig
            .lines()
            .filter(l -> l.contains("certificate-authority:"))
            .findFirst()
            .orElseThrow()
            .replaceAll(".*certificate-authority:\\s*", "")
            .trim();
    Files.copy(
        Path.of(ca), tmp.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(tmp.resolve("kubeconfig"), kubeconfig.replace(ca, "/tmp/ca.crt"));

    int health = Ports.freeLoopbackPort();
    List<String> command = new ArrayList<>(inImage());
    command.addAll(
        List.of(
            "--services",
            "sqs",
            "--aws-region",
            "us-east-1",
            "--aws-endpoint-url",
            moto.endpoint().toString(),
            "--healthz-addr",
            "127.0.0.1:" + health,
            "--metrics-addr",
            "127.0.0.1:" + Ports.freeLoopbackPort(),
            "--log-format",
            "json"));
    Map<String, String> env =
        Map.of(
            "KUBECONFIG", "/tmp/kubeconfig",
            "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
    try (JackProcess jack = JackProcess.run("image", command, env)) {
      jack.awaitReady(health);
      Resources<Queue, QueueSpec> queues =
          new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
      queues.create("imaged", spec -> spec.setQueueName("imaged-" + ns.name()));
      queues.waitFor("imaged", AckCondition.RESOURCE_SYNCED, "True");
      // The one service enabled is the one whose jars are read: none of the other sixteen's.
      assertThat(jack.openFiles())
          .filteredOn(f -> f.contains("/opt/jack/services/"))
          .isNotEmpty()
          .allMatch(f -> f.contains("/opt/jack/services/sqs/"), "a jar of services/sqs");
      // The classes of its start-up came from the image's class-data-sharing archive, which the
      // JVM maps only when it was made for these jars, under these names (rootfs.sh).
      assertThat(jack.mappedFiles())
          .anyMatch(f -> f.equals(root.toAbsolutePath() + "/opt/jack/jack.jsa"));
      queues.deleteAndWait("imaged");
      jack.stop();
      assertThat(jack.lines())
          .as("JSON lines, and no error")
          .isNotEmpty()
          .allMatch(line -> line.startsWith("{"));
      assertThat(jack.errors()).isEmpty();
    }
  }

  /**
   * The image's entrypoint, run as a container runtime would: in the image's root and working
   * directory, in a mount namespace with its own /proc, as the image's user.
   */
  private static List<String> inImage() {
    String[] user = config.path("User").asText().split(":");
    List<String> command =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--fork",
                "--kill-child=SIGTERM",
                "--mount-proc=/proc", // in the new root
                "--root=" + root.toAbsolutePath(),
                "--wd=" + config.path("WorkingDir").asText("/"),
                "--setgid=" + user[1],
                "--setuid=" + user[0]));
    command.addAll(entrypoint());
    return command;
  }

  private static List<String> entrypoint() {
    List<String> entrypoint = new ArrayList<>();
    config.path("Entrypoint").forEach(arg -> entrypoint.add(arg.asText()));
    return entrypoint;
  }

  private static Path blob(JsonNode digest) {
    return unpacked.resolve("blobs").resolve("sha256").resolve(digest.asText().split(":", 2)[1]);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("%s:\n%s", command, output).isZero();
  }

  private static void clear(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!file.equals(dir)) {
          Files.delete(file);
        }
      }
    }
  }
}
