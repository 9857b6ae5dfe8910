package dev.jack.testenv.junit;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.UUID;

/** A namespace created for one test and deleted after it. */
public final class TestNamespace implements AutoCloseable {

  private final KubernetesClient client;
  private final String name;

  private TestNamespace(KubernetesClient client, String name) {
    this.client = client;
    this.name = name;
  }

  /** A namespace named after {@code testName} with a random suffix; the caller deletes it. */
  public static TestNamespace create(KubernetesClient client, String testName) {
    String prefix = testName.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    if (prefix.length() > 40) {
      prefix = prefix.substring(0, 40).replaceAll("-$", "");
    }
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return new TestNamespace(client, name);
  }

  public String name() {
    return name;
  }

  @Override
  public void close() {
    client.namespaces().withName(name).delete();
  }

  @Override
  public String toString() {
    return name;
  }
}
