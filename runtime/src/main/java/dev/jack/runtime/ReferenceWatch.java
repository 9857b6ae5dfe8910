package dev.jack.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes the resources that wait for a referenced resource as soon as it is synced, instead of
 * polling for it: every kind's reconciler of the process shares one. A reference to a resource that
 * another process reconciles is still found by the waiting resource's own backoff.
 */
public final class ReferenceWatch {

  private record Waiter(WakeUps source, ResourceID resource) {}

  private final Map<String, Set<Waiter>> waiting = new ConcurrentHashMap<>();

  /** The key of a resource: {@code group/Kind/namespace/name}. */
  static String key(String group, String kind, String namespace, String name) {
    return group + "/" + kind + "/" + namespace + "/" + name;
  }

  /** {@code resource} of {@code source}'s controller waits until {@code target} is synced. */
  void await(String target, WakeUps source, ResourceID resource) {
    waiting
        .computeIfAbsent(target, k -> ConcurrentHashMap.newKeySet())
        .add(new Waiter(source, resource));
  }

  /** {@code target} is synced: whatever waited for it is reconciled now. */
  void synced(String target) {
    Set<Waiter> waiters = waiting.remove(target);
    if (waiters != null) {
      waiters.forEach(w -> w.source().wake(w.resource()));
    }
  }

  /** One controller's source of wake-ups: an event for a resource starts its reconcile. */
  static final class WakeUps<R extends HasMetadata> extends AbstractEventSource<Void, R> {

    WakeUps(String name) {
      super(Void.class, name);
    }

    void wake(ResourceID resource) {
      if (isRunning()) {
        getEventHandler().handleEvent(new Event(resource));
      }
    }

    @Override
    public Set<Void> getSecondaryResources(R primary) {
      return Set.of();
    }
  }
}
