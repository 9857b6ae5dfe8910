package dev.jack.runtime;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The namespaces, whose annotations say a resource's default region, endpoint, deletion policy and
 * owner account: held by one informer, so that a reconcile of a resource that exists reads its
 * namespace from memory rather than from the API server. Where an annotation decides something that
 * cannot be undone (the region a resource is created in, whether a delete removes it from AWS), the
 * namespace is read from the API server: an informer can lag behind an annotation set a moment
 * before.
 */
public final class Namespaces implements AutoCloseable {

  private final KubernetesClient client;
  private final SharedIndexInformer<Namespace> informer;

  private Namespaces(KubernetesClient client, SharedIndexInformer<Namespace> informer) {
    this.client = client;
    this.informer = informer;
  }

  /** Starts watching the namespaces; it does not wait for the first list. */
  public static Namespaces watch(KubernetesClient client) {
    SharedIndexInformer<Namespace> informer = client.namespaces().runnableInformer(0);
    // Stopped for good, it would leave every reconcile reading its namespace from the API server.
    Informers.retryOnFailure(informer, "the namespaces");
    informer.start();
    return new Namespaces(client, informer);
  }

  /**
   * The namespace as the informer holds it, or read from the API server when the informer does not
   * hold it yet (just created, or the informer still listing); null when there is none.
   */
  public Namespace get(String name) {
    Namespace known = informer.getStore().getByKey(name);
    return known != null ? known : read(name);
  }

  /**
   * Whether the namespaces have been listed and are watched: until then each {@link #get} reads the
   * API server.
   */
  public boolean listed() {
    return informer.hasSynced() && informer.isRunning();
  }

  /** The namespace as the API server holds it now; null when there is none. */
  public Namespace read(String name) {
    return client.namespaces().withName(name).get();
  }

  @Override
  public void close() {
    informer.stop();
  }
}
