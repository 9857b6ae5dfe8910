package dev.jack.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the benchmark's resources in one namespace, as a user's {@code kubectl get -w} would, and
 * records when each was first seen {@code ACK.ResourceSynced=True}, when each was deleted, which
 * {@code jack.dev/refresh} value its drift check last answered, and every write the controller made
 * to it (a new resourceVersion that neither a spec change nor the harness's own refresh annotation
 * explains), status and metadata apart.
 */
final class SyncWatch implements AutoCloseable {

  static final String SYNCED = "ACK.ResourceSynced";
  static final String REFRESH_ANNOTATION = "jack.dev/refresh";
  static final String REFRESHED = "jack.dev/Refreshed";

  private final Map<ResourceRef, Long> syncedAt = new ConcurrentHashMap<>();
  private final Map<ResourceRef, Long> deletedAt = new ConcurrentHashMap<>();
  private final Map<ResourceRef, String> refreshed = new ConcurrentHashMap<>();
  private final Map<Kind, AtomicLong> statusWrites = new ConcurrentHashMap<>();
  private final Map<Kind, AtomicLong> metadataWrites = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();

  private SyncWatch() {}

  static SyncWatch start(KubernetesClient client, String namespace, Collection<Kind> kinds) {
    SyncWatch watch = new SyncWatch();
    for (Kind kind : kinds) {
      watch.informers.add(
          client
              .genericKubernetesResources(kind.context())
              .inNamespace(namespace)
              .inform(watch.handler(kind), 0));
    }
    return watch;
  }

  private ResourceEventHandler<GenericKubernetesResource> handler(Kind kind) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource resource) {
        observe(kind, resource);
      }

      @Override
      public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource resource) {
        countWrite(kind, old, resource);
        observe(kind, resource);
      }

      @Override
      public void onDelete(GenericKubernetesResource resource, boolean unknownFinalState) {
        deletedAt.putIfAbsent(ref(kind, resource), System.nanoTime());
      }
    };
  }

  private void observe(Kind kind, GenericKubernetesResource resource) {
    long now = System.nanoTime();
    ResourceRef ref = ref(kind, resource);
    for (Map<String, Object> condition : conditions(resource)) {
      Object type = condition.get("type");
      if (SYNCED.equals(type) && "True".equals(condition.get("status"))) {
        syncedAt.putIfAbsent(ref, now);
      } else if (REFRESHED.equals(type) && condition.get("message") != null) {
        refreshed.put(ref, condition.get("message").toString());
      }
    }
  }

  private void countWrite(
      Kind kind, GenericKubernetesResource old, GenericKubernetesResource resource) {
    if (Objects.equals(
        old.getMetadata().getResourceVersion(), resource.getMetadata().getResourceVersion())) {
      return;
    }
    boolean specChanged =
        !Objects.equals(old.getMetadata().getGeneration(), resource.getMetadata().getGeneration());
    boolean refreshRequested =
        !Objects.equals(
            annotation(old, REFRESH_ANNOTATION), annotation(resource, REFRESH_ANNOTATION));
    boolean deleting = resource.getMetadata().getDeletionTimestamp() != null;
    if (specChanged || refreshRequested || deleting) {
      return;
    }
    Object oldStatus = old.getAdditionalProperties().get("status");
    Object newStatus = resource.getAdditionalProperties().get("status");
    Map<Kind, AtomicLong> counter =
        Objects.equals(oldStatus, newStatus) ? metadataWrites : statusWrites;
    counter.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
  }

  private static String annotation(GenericKubernetesResource resource, String key) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> conditions(GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> map) || !(map.get("conditions") instanceof List<?> list)) {
      return List.of();
    }
    return (List<Map<String, Object>>) list;
  }

  private static ResourceRef ref(Kind kind, GenericKubernetesResource resource) {
    return new ResourceRef(kind, resource.getMetadata().getName());
  }

  /** When {@code ref} was first seen synced ({@link System#nanoTime()}), or null. */
  Long syncedAt(ResourceRef ref) {
    return syncedAt.get(ref);
  }

  Long deletedAt(ResourceRef ref) {
    return deletedAt.get(ref);
  }

  String refreshed(ResourceRef ref) {
    return refreshed.get(ref);
  }

  int syncedCount(Kind kind) {
    return (int) syncedAt.keySet().stream().filter(ref -> ref.kind() == kind).count();
  }

  /** Writes to the API server by the controller so far, to resources of {@code kind}. */
  Writes writes(Kind kind) {
    return new Writes(count(statusWrites, kind), count(metadataWrites, kind));
  }

  private static long count(Map<Kind, AtomicLong> counters, Kind kind) {
    AtomicLong counter = counters.get(kind);
    return counter == null ? 0 : counter.get();
  }

  /** Writes to the API server: status changes, and metadata changes (annotations, finalizers). */
  record Writes(long status, long metadata) {
    Writes minus(Writes before) {
      return new Writes(status - before.status, metadata - before.metadata);
    }
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
