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
  private final Map<Kind, AtomicLong> specWrites = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> metadataChanges = new ConcurrentHashMap<>();
  private final Map<String, String> metadataChangeExamples = new ConcurrentHashMap<>();
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
    if (refreshRequested || deleting) {
      return;
    }
    if (specChanged) {
      // The harness's own changes (the churn's) or the controller's (late initialization).
      specWrites.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
      return;
    }
    Object oldStatus = old.getAdditionalProperties().get("status");
    Object newStatus = resource.getAdditionalProperties().get("status");
    if (!Objects.equals(oldStatus, newStatus)) {
      statusWrites.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
      return;
    }
    metadataWrites.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    for (String change : metadataChanges(old, resource)) {
      String key = kind.kindName() + " " + change;
      metadataChanges.computeIfAbsent(key, c -> new AtomicLong()).incrementAndGet();
      if (change.startsWith("annotation ")) {
        String annotation = change.substring("annotation ".length());
        metadataChangeExamples.put(
            key, annotation(old, annotation) + "  ->  " + annotation(resource, annotation));
      }
    }
  }

  /** What a metadata-only write changed: annotation keys, labels, finalizers. */
  private static List<String> metadataChanges(
      GenericKubernetesResource old, GenericKubernetesResource resource) {
    List<String> changes = new ArrayList<>();
    Map<String, String> before = orEmpty(old.getMetadata().getAnnotations());
    Map<String, String> after = orEmpty(resource.getMetadata().getAnnotations());
    java.util.Set<String> keys = new java.util.TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (String key : keys) {
      if (!Objects.equals(before.get(key), after.get(key))) {
        changes.add("annotation " + key);
      }
    }
    if (!Objects.equals(old.getMetadata().getLabels(), resource.getMetadata().getLabels())) {
      changes.add("labels");
    }
    if (!Objects.equals(
        old.getMetadata().getFinalizers(), resource.getMetadata().getFinalizers())) {
      changes.add("finalizers");
    }
    if (changes.isEmpty()) {
      changes.add("managedFields only");
    }
    return changes;
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
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
    return new Writes(
        count(statusWrites, kind), count(metadataWrites, kind), count(specWrites, kind));
  }

  /** The latest change of each annotation that metadata-only writes changed: old -> new. */
  Map<String, String> metadataChangeExamples() {
    return new java.util.TreeMap<>(metadataChangeExamples);
  }

  /** How often each metadata field was changed by a metadata-only write so far, by kind. */
  Map<String, Long> metadataChanges() {
    Map<String, Long> changes = new java.util.TreeMap<>();
    metadataChanges.forEach((change, count) -> changes.put(change, count.get()));
    return changes;
  }

  private static long count(Map<Kind, AtomicLong> counters, Kind kind) {
    AtomicLong counter = counters.get(kind);
    return counter == null ? 0 : counter.get();
  }

  /**
   * Writes to the API server: status changes; metadata changes (annotations, finalizers); and spec
   * changes (a new generation: the controller's late initialization, or the harness's own change in
   * the churn).
   */
  record Writes(long status, long metadata, long spec) {
    Writes minus(Writes before) {
      return new Writes(status - before.status, metadata - before.metadata, spec - before.spec);
    }
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
