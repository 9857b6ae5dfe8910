package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.controller.KubernetesClients;
import dev.jack.runtime.Namespaces;
import dev.jack.testenv.Binaries;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jack started while the API server is out of reach (a control-plane upgrade, a node that comes up
 * before its control plane) watches the namespaces once the API server is back, without a restart:
 * their annotations (default region, account, deletion policy) are then read from memory, and
 * {@code /readyz} answers.
 */
@JackIntegrationTest
class ApiServerDownAtStartIT {

  /**
   * Longer than the Kubernetes client tries a request again by itself (about 10 s), so that the
   * first list fails and the informer's own retry is what recovers.
   */
  private static final Duration DOWN = Duration.ofSeconds(25);

  @Test
  void theNamespacesAreWatchedOnceTheApiServerIsBack(@TempDir Path dir) throws Exception {
    try (KubeApiServer kube = KubeApiServer.start(Binaries.fromEnvironment(), dir);
        KubernetesClient admin = kube.newAdminClient();
        KubernetesClient client = KubernetesClients.create(kube.adminConfig())) {
      admin
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("down-at-start")
                  .endMetadata()
                  .build())
          .create();
      CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> kube.restart(DOWN));
      await().atMost(Duration.ofSeconds(30)).until(() -> !reachable(kube.url()));

      try (Namespaces namespaces = Namespaces.watch(client)) {
        assertThat(namespaces.listed()).isFalse();
        restart.get(2, TimeUnit.MINUTES);
        await().atMost(Duration.ofSeconds(90)).until(namespaces::listed);
        assertThat(namespaces.get("down-at-start")).isNotNull();
      }
    }
  }

  private static boolean reachable(URI url) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
