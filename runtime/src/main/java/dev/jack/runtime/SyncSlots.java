package dev.jack.runtime;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * A kind's share of the reconcile threads: at most {@code
 * --reconcile-resource-max-concurrent-syncs} of its resources are reconciled at once, as each of
 * ACK's controllers has its own workers.
 *
 * <p>Java Operator SDK runs every kind on one pool, so a kind over its share does not wait on a
 * thread (it would hold the thread from the other kinds): its reconcile ends at once, with no call,
 * and the resource waits in a queue. Each slot that frees wakes the resource that waited longest,
 * so the kind goes on at its full concurrency with no polling. The order is not strict (a resource
 * with an event of its own may take a free slot first; the one woken then waits again), so that no
 * resource can hold the queue up, and the reschedule a deferred reconcile returns is a safety net
 * for a wake-up that is lost.
 */
final class SyncSlots {

  /** When a deferred resource is looked at again if no slot's release wakes it first. */
  static final Duration SAFETY_NET = Duration.ofSeconds(30);

  private final Semaphore permits;
  private final Queue<ResourceID> waiting = new ConcurrentLinkedQueue<>();
  private final Set<ResourceID> queued = ConcurrentHashMap.newKeySet();
  private final Consumer<ResourceID> wake;

  SyncSlots(int limit, Consumer<ResourceID> wake) {
    if (limit < 1) {
      throw new IllegalArgumentException("a kind needs at least one concurrent sync: " + limit);
    }
    this.permits = new Semaphore(limit);
    this.wake = wake;
  }

  /** Takes a slot for {@code resource}, or queues it and answers false when none is free. */
  boolean enter(ResourceID resource) {
    if (permits.tryAcquire()) {
      if (queued.remove(resource)) {
        waiting.remove(resource);
      }
      return true;
    }
    if (queued.add(resource)) {
      waiting.add(resource);
    }
    // A slot may have been freed between the check and the queueing: hand it on.
    if (permits.availablePermits() > 0) {
      wakeNext();
    }
    return false;
  }

  /** Frees the slot taken by {@link #enter} and wakes the resource that waited longest. */
  void leave() {
    permits.release();
    wakeNext();
  }

  private void wakeNext() {
    ResourceID next = waiting.poll();
    if (next != null) {
      queued.remove(next);
      wake.accept(next);
    }
  }

  /** How many resources wait for a slot (for tests and diagnostics). */
  int waiting() {
    return queued.size();
  }
}
