package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.runtime.AwsResourceReconciler;
import dev.jack.runtime.EventRecorder;
import dev.jack.testenv.ConditionWait;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Creates, changes, waits for and deletes resources of one kind in a test namespace. */
final class Resources<R extends CustomResource<S, ?>, S> {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final TestNamespace ns;
  private final Class<R> type;
  private final Supplier<R> newResource;
  private final Supplier<S> newSpec;

  /** The generation at which each resource was last found converged by a drift check. */
  private final Map<String, Long> checked = new HashMap<>();

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

  /**
   * Changes the spec as a user's {@code kubectl edit} does: on the resourceVersion it read, read
   * again and redone when the controller wrote the status in between (a 409 Conflict).
   */
  void edit(String name, Consumer<S> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .resources(type)
            .inNamespace(ns.name())
            .withName(name)
            .edit(
                r -> {
                  change.accept(r.getSpec());
                  return r;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  /**
   * Sets (or, with a null value, removes) one annotation with a JSON merge patch, which carries no
   * resourceVersion: a status write of the controller at the same moment cannot make it conflict.
   */
  void annotate(String name, String key, String value) {
    Map<String, Object> annotations = new HashMap<>();
    annotations.put(key, value);
    client
        .resources(type)
        .inNamespace(ns.name())
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            Serialization.asJson(Map.of("metadata", Map.of("annotations", annotations))));
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

  /**
   * Deletes the resource and waits until it is gone. A resource that is synced is first drift
   * checked ({@link #convergesOnDriftCheck}), unless the test did that at its current generation:
   * every fixture of the tests goes through "apply, read back, compare" before it is deleted.
   */
  void deleteAndWait(String name) {
    GenericKubernetesResource current = generic(name);
    if (current != null
        && !current.getMetadata().getGeneration().equals(checked.get(name))
        && "True".equals(ConditionWait.conditionStatus(current, AckCondition.RESOURCE_SYNCED))
        && !Objects.requireNonNullElse(current.getMetadata().getAnnotations(), Map.of())
            .containsKey(AwsResourceReconciler.PAUSE_ANNOTATION)) {
      convergesOnDriftCheck(name);
    }
    client.resources(type).inNamespace(ns.name()).withName(name).delete();
    await().atMost(TIMEOUT).until(() -> get(name) == null);
  }

  /**
   * Asks for a drift check ({@code jack.dev/refresh}) and asserts that the synced resource
   * converged: the check completed (its condition answers this request), found AWS as the spec says
   * (no Updated event, so no AWS write), wrote nothing of the resource but its status ({@link
   * #written}) and the resource is still synced.
   */
  void convergesOnDriftCheck(String name) {
    // The spec's latest change is applied first (an edit just before would count as the check's).
    await("jack's reconcile of the latest generation of " + name)
        .atMost(TIMEOUT)
        .until(() -> reconciledLatestGeneration(generic(name)));
    long updates = updates(name);
    Map<String, Object> written = written(generic(name));
    String request = "converged-" + UUID.randomUUID();
    annotate(name, AwsResourceReconciler.REFRESH_ANNOTATION, request);
    GenericKubernetesResource afterCheck =
        await("a drift check of " + name)
            .atMost(TIMEOUT)
            .until(
                () -> generic(name),
                r ->
                    r != null
                        && request.equals(
                            conditionMessage(r, AwsResourceReconciler.REFRESHED_CONDITION)));
    assertThat(updates(name))
        .as(
            "AWS writes of a drift check of %s, which is synced (its events: %s)",
            name, events(name).stream().map(e -> e.getReason() + ": " + e.getMessage()).toList())
        .isEqualTo(updates);
    assertThat(ConditionWait.conditionStatus(afterCheck, AckCondition.RESOURCE_SYNCED))
        .as(
            "%s is still synced after a drift check: %s",
            name, afterCheck.getAdditionalProperties())
        .isEqualTo("True");
    assertThat(written(afterCheck))
        .as("%s's spec and metadata after a drift check of it, synced", name)
        .isEqualTo(written);
    checked.put(name, afterCheck.getMetadata().getGeneration());
  }

  /** How many times jack updated the resource in AWS (the Updated events, with their counts). */
  private long updates(String name) {
    return events(name).stream()
        .filter(e -> EventRecorder.Reason.Updated.name().equals(e.getReason()))
        .mapToLong(e -> e.getCount() == null ? 1 : e.getCount())
        .sum();
  }

  /** The resource as the API server holds it, as a tree of values; null when there is none. */
  GenericKubernetesResource generic(String name) {
    R sample = newResource.get();
    return client
        .genericKubernetesResources(sample.getApiVersion(), sample.getKind())
        .inNamespace(ns.name())
        .withName(name)
        .get();
  }

  /**
   * The first event on the resource that {@code match} accepts ({@code what} names it), once there
   * is one: jack sends its events on a thread of their own, while the reconcile that recorded them
   * goes on.
   */
  Event awaitEvent(String name, String what, Predicate<Event> match) {
    return await("a " + what + " event on " + name)
        .atMost(TIMEOUT)
        .until(() -> events(name).stream().filter(match).findFirst(), Optional::isPresent)
        .orElseThrow();
  }

  /** The first event of this reason on the resource, once there is one. */
  Event awaitEvent(String name, String reason) {
    return awaitEvent(name, reason, e -> reason.equals(e.getReason()));
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

  /**
   * Whether the synced condition was computed for the resource's current generation; true too when
   * the installed CRD has no {@code observedGeneration} on conditions (ACK's own CRDs).
   */
  @SuppressWarnings("unchecked")
  private static boolean reconciledLatestGeneration(GenericKubernetesResource resource) {
    Map<String, Object> status =
        (Map<String, Object>) resource.getAdditionalProperties().get("status");
    for (Object c : (List<Object>) status.get("conditions")) {
      Map<String, Object> condition = (Map<String, Object>) c;
      if (AckCondition.RESOURCE_SYNCED.equals(condition.get("type"))) {
        Object observed = condition.get("observedGeneration");
        return observed == null
            || ((Number) observed).longValue() >= resource.getMetadata().getGeneration();
      }
    }
    return false;
  }

  /**
   * What jack writes of a resource beside its status: its spec, generation, annotations (but the
   * drift check's request) and finalizers.
   */
  static Map<String, Object> written(GenericKubernetesResource resource) {
    Map<String, String> annotations = new TreeMap<>();
    if (resource.getMetadata().getAnnotations() != null) {
      annotations.putAll(resource.getMetadata().getAnnotations());
    }
    annotations.remove(AwsResourceReconciler.REFRESH_ANNOTATION);
    Map<String, Object> written = new LinkedHashMap<>();
    written.put("spec", resource.getAdditionalProperties().get("spec"));
    written.put("generation", resource.getMetadata().getGeneration());
    written.put("annotations", annotations);
    written.put("finalizers", resource.getMetadata().getFinalizers());
    return written;
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

  /** The calls made between two snapshots of {@link RunningController#callsByOperation}. */
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
