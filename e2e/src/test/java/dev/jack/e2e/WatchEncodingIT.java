package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.controller.KubernetesClients;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * jack's watches are HTTP streams of JSON lines ({@link KubernetesClients}); objects with
 * characters beyond ASCII (a tag's value, a description in another language) arrive in them as any
 * other, and so do the events after them.
 */
@JackIntegrationTest
class WatchEncodingIT {

  @Test
  void eventsWithCharactersBeyondAsciiAndTheEventsAfterThemArrive(KubeApiServer kube)
      throws Exception {
    try (KubernetesClient admin = kube.newAdminClient();
        TestNamespace ns = TestNamespace.create(admin, "watch-encoding");
        KubernetesClient client = KubernetesClients.create(kube.adminConfig())) {
      assertThat(client.getConfiguration().isOnlyHttpWatches()).as("HTTP watches").isTrue();
      List<String> seen = new CopyOnWriteArrayList<>();
      List<WatcherException> failures = new CopyOnWriteArrayList<>();
      try (Watch watch =
          client
              .configMaps()
              .inNamespace(ns.name())
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap map) {
                      seen.add(map.getMetadata().getName() + "=" + map.getData().get("v"));
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                      failures.add(cause);
                    }
                  })) {
        // The long one spans many frames of the stream, its characters cut between them.
        List<String> values =
            List.of("Grüße, señor", "日本語のタグ", "ascii", "émoji 🚀", "ü€🚀".repeat(20_000), "plain");
        for (int i = 0; i < values.size(); i++) {
          admin
              .configMaps()
              .inNamespace(ns.name())
              .resource(
                  new ConfigMapBuilder()
                      .withNewMetadata()
                      .withName("map-" + i)
                      .endMetadata()
                      .addToData("v", values.get(i))
                      .build())
              .create();
        }
        List<String> expected =
            java.util.stream.IntStream.range(0, values.size())
                .mapToObj(i -> "map-" + i + "=" + values.get(i))
                .toList();
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(seen).containsExactlyElementsOf(expected));
        assertThat(failures).isEmpty();
      }
    }
  }
}
