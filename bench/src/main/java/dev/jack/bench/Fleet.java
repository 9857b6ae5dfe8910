package dev.jack.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The benchmark's resources in one namespace, created, changed and deleted through the API server
 * in parallel, as a CI pipeline applying many manifests at once would.
 */
final class Fleet implements AutoCloseable {

  private final KubernetesClient client;
  private final String namespace;
  private final ExecutorService pool;

  Fleet(KubernetesClient client, String namespace, int parallelism) {
    this.client = client;
    this.namespace = namespace;
    this.pool = Executors.newFixedThreadPool(parallelism);
  }

  /** The names of {@code count} resources of {@code kind}, none a prefix of another. */
  static List<ResourceRef> named(Kind kind, String prefix, int count) {
    List<ResourceRef> refs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      refs.add(new ResourceRef(kind, String.format("%s-%s-%05d", prefix, kind.service(), i)));
    }
    return refs;
  }

  /** Creates every resource; answers when each create was sent ({@link System#nanoTime()}). */
  Map<ResourceRef, Long> create(List<ResourceRef> refs) {
    Map<ResourceRef, Long> sentAt = new ConcurrentHashMap<>();
    forEach(
        refs,
        ref -> {
          GenericKubernetesResource manifest = ref.kind().manifest(namespace, ref.name());
          sentAt.put(ref, System.nanoTime());
          client.genericKubernetesResources(ref.kind().context()).resource(manifest).create();
        });
    return sentAt;
  }

  /** Sets an annotation on each resource (a JSON merge patch of the metadata only). */
  void annotate(List<ResourceRef> refs, String key, String value) {
    String patch = "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}";
    forEach(
        refs,
        ref ->
            client
                .genericKubernetesResources(ref.kind().context())
                .inNamespace(namespace)
                .withName(ref.name())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch));
  }

  /** Applies the kind's churn change to each resource's spec. */
  void change(List<ResourceRef> refs) {
    forEach(
        refs,
        ref ->
            client
                .genericKubernetesResources(ref.kind().context())
                .inNamespace(namespace)
                .withName(ref.name())
                .edit(
                    resource -> {
                      ref.kind().change(resource);
                      return resource;
                    }));
  }

  void delete(List<ResourceRef> refs) {
    forEach(
        refs,
        ref ->
            client
                .genericKubernetesResources(ref.kind().context())
                .inNamespace(namespace)
                .withName(ref.name())
                .delete());
  }

  /**
   * Removes every resource of {@code kinds} from the namespace without a controller: the finalizers
   * are dropped, then the resources deleted. For the end of a controller's run, once it is stopped;
   * what it made in AWS goes with its moto.
   */
  void removeAll(List<Kind> kinds) {
    List<ResourceRef> all = new ArrayList<>();
    for (Kind kind : kinds) {
      client
          .genericKubernetesResources(kind.context())
          .inNamespace(namespace)
          .list()
          .getItems()
          .forEach(r -> all.add(new ResourceRef(kind, r.getMetadata().getName())));
    }
    forEach(
        all,
        ref -> {
          var resource =
              client
                  .genericKubernetesResources(ref.kind().context())
                  .inNamespace(namespace)
                  .withName(ref.name());
          try {
            resource.patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
            resource.delete();
          } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
              throw e;
            }
          }
        });
  }

  private void forEach(List<ResourceRef> refs, Consumer<ResourceRef> action) {
    List<Future<?>> futures = new ArrayList<>();
    for (ResourceRef ref : refs) {
      futures.add(pool.submit(() -> action.accept(ref)));
    }
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("a request to the API server failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
