package dev.jack.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.utils.ExponentialBackoffIntervalCalculator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a dormant kind has a resource in one scope (a namespace, or all), and word of the first
 * one to appear. It asks the API server for one resource (a list of at most one); when there is
 * none, it watches from that list's version for the first. A kind with thousands of resources is
 * thus known to have some from one small answer, rather than from a list of them all, which its
 * controller's informer then makes anyway.
 *
 * <p>A list that fails (an API server out of reach, a CRD not yet installed, RBAC that hides it)
 * and a watch that ends (its version expired, or the connection lost beyond the client's own
 * reconnects) are tried again, with the client's watch backoff; a failure is logged as jack's
 * informers log theirs, an expired version (after an API server's restart) only at debug level.
 * Once a resource was seen, it stops: the kind starts.
 */
final class PresenceWatch implements Watcher<GenericKubernetesResource> {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceWatch.class);

  private final FilterWatchListDeletable<
          GenericKubernetesResource, GenericKubernetesResourceList, ?>
      scope;
  private final String selector;
  private final String what;
  private final Runnable onResource;
  private final Executor executor;
  private final ExponentialBackoffIntervalCalculator backoff;
  private final CompletableFuture<Void> listed = new CompletableFuture<>();
  private volatile boolean found;
  private volatile boolean stopped;
  private Watch watch;

  /**
   * @param scope the kind's resources in a namespace or in all
   * @param selector the label selector of {@code --watch-selectors}, or null
   * @param what what is watched, for the log
   * @param reconnectMillis the first wait before trying again; it doubles up to 32 times that
   * @param onResource runs, once, when a resource is seen
   * @param executor where the lists are made (they wait for the API server's answer)
   */
  PresenceWatch(
      FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, ?> scope,
      String selector,
      String what,
      int reconnectMillis,
      Runnable onResource,
      Executor executor) {
    this.scope = scope;
    this.selector = selector;
    this.what = what;
    this.onResource = onResource;
    this.executor = executor;
    this.backoff =
        new ExponentialBackoffIntervalCalculator(
            reconnectMillis, ExponentialBackoffIntervalCalculator.UNLIMITED_RETRIES);
  }

  /** Starts looking; the future completes once the scope has been listed. */
  CompletableFuture<Void> start() {
    executor.execute(this::look);
    return listed;
  }

  /** Whether it has listed the scope once. */
  boolean listed() {
    return listed.isDone();
  }

  /** Whether a resource has been seen. */
  boolean found() {
    return found;
  }

  private void look() {
    if (stopped) {
      return;
    }
    try {
      GenericKubernetesResourceList page =
          scope.list(new ListOptionsBuilder().withLabelSelector(selector).withLimit(1L).build());
      backoff.resetReconnectAttempts();
      listed.complete(null);
      if (!page.getItems().isEmpty()) {
        seen();
        return;
      }
      synchronized (this) {
        if (!stopped) {
          ListOptions from =
              new ListOptionsBuilder()
                  .withLabelSelector(selector)
                  .withResourceVersion(page.getMetadata().getResourceVersion())
                  .build();
          watch = scope.watch(from, this);
        }
      }
    } catch (RuntimeException e) {
      // The client's own failures (KubernetesClientException), and any other: tried again.
      retry(e, true);
    }
  }

  private void retry(Exception e, boolean warn) {
    if (stopped) {
      return;
    }
    long wait = backoff.nextReconnectInterval();
    if (warn) {
      LOG.warn("watching {} failed, retrying in {} ms: {}", what, wait, e.toString());
    } else {
      LOG.debug("watching {}: {}; listing again in {} ms", what, e.getMessage(), wait);
    }
    CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS, executor).execute(this::look);
  }

  private void seen() {
    if (!found) {
      found = true;
      onResource.run();
    }
  }

  @Override
  public void eventReceived(Action action, GenericKubernetesResource resource) {
    if (action == Action.ADDED || action == Action.MODIFIED) {
      seen();
    }
  }

  @Override
  public void onClose(WatcherException cause) {
    // 410 Gone: the version is too old for the API server (its watch cache started again after a
    // restart, or moved on), which an informer meets by listing again, without a warning.
    // Otherwise the client stopped reconnecting.
    retry(cause, !cause.isHttpGone());
  }

  @Override
  public void onClose() {
    // Closed by stop().
  }

  /** Stops the watch, and any retry to come. */
  synchronized void stop() {
    stopped = true;
    if (watch != null) {
      watch.close();
    }
  }
}
