package dev.jack.bench;

import dev.jack.testenv.Binaries;
import dev.jack.testenv.Crds;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Opens a stage per controller and scenario: a namespace of its own on the shared API server (the
 * controller watches only it), a fresh moto behind a fresh proxy, a watch and a fleet.
 */
final class StageFactory {

  private static final int PARALLEL_REQUESTS = 8;

  private final KubernetesClient client;
  private final Binaries binaries;
  private final Path workDir;
  private final Duration timeout;
  private final ServerProcesses servers;
  private int opened;

  StageFactory(
      KubernetesClient client,
      Binaries binaries,
      Path workDir,
      Duration timeout,
      ServerProcesses servers) {
    this.client = client;
    this.binaries = binaries;
    this.workDir = workDir;
    this.timeout = timeout;
    this.servers = servers;
  }

  Stage open(Launcher launcher, String scenario) {
    Crds.install(client, Crds.read(launcher.crds()));
    // The API server serves a changed schema a moment after the CRD says Established.
    Pause.of(java.time.Duration.ofSeconds(2));
    String namespace = "bench-" + ++opened + "-" + launcher.id() + "-" + scenario;
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
    Path dir = workDir.resolve(namespace);
    AwsEndpoint aws = AwsEndpoint.start(binaries, dir);
    SyncWatch watch;
    try {
      watch = SyncWatch.start(client, namespace, List.of(Kind.values()));
    } catch (RuntimeException e) {
      aws.close();
      throw e;
    }
    Fleet fleet = new Fleet(client, namespace, PARALLEL_REQUESTS);
    return new Stage(launcher, aws, watch, fleet, namespace, dir, timeout, servers);
  }
}
