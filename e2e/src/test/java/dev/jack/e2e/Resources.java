package dev.jack.e2e;

import static org.awaitility.Awaitility.await;

import dev.jack.testenv.ConditionWait;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Creates, changes, waits for and deletes resources of one kind in a test namespace. */
final class Resources<R extends CustomResource<S, ?>, S> {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final TestNamespace ns;
  private final Class<R> type;
  private final Supplier<R> newResource;
  private final Supplier<S> newSpec;

  Resources(
      KubernetesClient client,
      TestNamespace ns,
      Class<R> type,
      Supplier<R> newResource,
      Supplier<S> newSpec) {
    this.client = client;
    this.ns = ns;
    this.type = type;
    this.newResource = newResource;
    this.newSpec = newSpec;
  }

  void create(String name, Consumer<S> spec) {
    create(name, spec, Map.of());
  }

  void create(String name, Consumer<S> spec, Map<String, String> annotations) {
    R resource = newResource.get();
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(ns.name())
            .withAnnotations(new HashMap<>(annotations))
            .build());
    S resourceSpec = newSpec.get();
    spec.accept(resourceSpec);
    resource.setSpec(resourceSpec);
    client.resources(type).inNamespace(ns.name()).resource(resource).create();
  }

  void edit(String name, Consumer<S> change) {
    client
        .resources(type)
        .inNamespace(ns.name())
        .withName(name)
        .edit(
            r -> {
              change.accept(r.getSpec());
              return r;
            });
  }

  void annotate(String name, String key, String value) {
    client
        .resources(type)
        .inNamespace(ns.name())
        .withName(name)
        .edit(
            r -> {
              if (r.getMetadata().getAnnotations() == null) {
                r.getMetadata().setAnnotations(new HashMap<>());
              }
              if (value == null) {
                r.getMetadata().getAnnotations().remove(key);
              } else {
                r.getMetadata().getAnnotations().put(key, value);
              }
              return r;
            });
  }

  R get(String name) {
    return client.resources(type).inNamespace(ns.name()).withName(name).get();
  }

  GenericKubernetesResource waitFor(String name, String condition, String status) {
    R sample = newResource.get();
    return new ConditionWait(client)
        .until(
            sample.getApiVersion(), sample.getKind(), ns.name(), name, condition, status, TIMEOUT);
  }

  void deleteAndWait(String name) {
    client.resources(type).inNamespace(ns.name()).withName(name).delete();
    await().atMost(TIMEOUT).until(() -> get(name) == null);
  }

  List<Event> events(String name) {
    return client
        .v1()
        .events()
        .inNamespace(ns.name())
        .withField("involvedObject.name", name)
        .list()
        .getItems();
  }

  @SuppressWarnings("unchecked")
  static String conditionMessage(GenericKubernetesResource resource, String type) {
    Map<String, Object> status =
        (Map<String, Object>) resource.getAdditionalProperties().get("status");
    for (Object c : (List<Object>) status.get("conditions")) {
      Map<String, Object> condition = (Map<String, Object>) c;
      if (type.equals(condition.get("type"))) {
        return String.valueOf(condition.get("message"));
      }
    }
    return "";
  }

  /** The calls made between two snapshots of {@link RunningController#callsByOperation}. */
  /**
   * Waits until the controller's AWS calls settle (two samples a second apart agree): the reconcile
   * under way, if any, has finished. Returns the settled counts.
   */
  static Map<String, Long> settled(java.util.function.Supplier<Map<String, Long>> calls) {
    java.util.concurrent.atomic.AtomicReference<Map<String, Long>> last =
        new java.util.concurrent.atomic.AtomicReference<>(calls.get());
    org.awaitility.Awaitility.await()
        .atMost(TIMEOUT)
        .pollDelay(Duration.ofSeconds(1))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              Map<String, Long> now = calls.get();
              return now.equals(last.getAndSet(now));
            });
    return last.get();
  }

  /** Closes what a test class opened, skipping what it never opened. */
  static void closeAll(AutoCloseable... closeables) {
    for (AutoCloseable closeable : closeables) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException("cannot close " + closeable, e);
      }
    }
  }

  /** Whether an AWS operation only reads. */
  static boolean isRead(String operation) {
    return operation.startsWith("Get")
        || operation.startsWith("List")
        || operation.startsWith("Describe")
        || operation.startsWith("Head");
  }

  /** How many of the calls only read. */
  static long reads(Map<String, Long> calls) {
    return calls.entrySet().stream()
        .filter(e -> isRead(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> diff = new TreeMap<>();
    after.forEach(
        (op, n) -> {
          long d = n - before.getOrDefault(op, 0L);
          if (d > 0) {
            diff.put(op, d);
          }
        });
    return diff;
  }
}
