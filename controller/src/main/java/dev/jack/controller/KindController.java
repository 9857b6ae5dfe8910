package dev.jack.controller;

import dev.jack.runtime.ControllerSettings;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.health.EventSourceHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind's controller, started when the kind's first resource appears. Until then the kind is
 * dormant: a list of at most one of its resources' bare objects, then a watch (no typed model, no
 * reconciler, no Operator SDK controller), waits for the first one ({@link PresenceWatch}). A
 * process serving every service holds the full machinery (the Java Operator SDK's controller and
 * timer thread, the typed informer with its deserializers, the reconciler with its descriptor) only
 * for the kinds that have resources. Once started, a kind stays started.
 */
final class KindController implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KindController.class);

  private final String name;
  private final Class<? extends HasMetadata> resourceClass;
  private final KubernetesClient client;
  private final Supplier<Operator> operators;
  private final Consumer<Operator> registration;
  private final List<PresenceWatch> presence = new CopyOnWriteArrayList<>();
  private volatile Operator operator;
  private final AtomicBoolean startClaimed = new AtomicBoolean();
  private volatile boolean closed;

  /**
   * @param name the controller's name ({@code s3-bucket})
   * @param client the kind's connection to the API server, for its dormant watch
   * @param operators a new Operator, without controllers, on that connection
   * @param registration registers the kind's reconciler on that Operator
   */
  KindController(
      String name,
      Class<? extends HasMetadata> resourceClass,
      KubernetesClient client,
      Supplier<Operator> operators,
      Consumer<Operator> registration) {
    this.name = name;
    this.resourceClass = resourceClass;
    this.client = client;
    this.operators = operators;
    this.registration = registration;
  }

  String name() {
    return name;
  }

  /**
   * Watches for the kind's resources in the namespaces and with the label selector the flags give;
   * {@code onResource} runs when the watch of a scope first sees one while the kind is dormant.
   * Completes when every scope has been listed once. The lists are made on {@code executor}.
   */
  CompletableFuture<Void> watch(
      ControllerSettings settings, Runnable onResource, Executor executor) {
    ResourceDefinitionContext context = ResourceDefinitionContext.fromResourceType(resourceClass);
    List<FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, ?>>
        scopes = new ArrayList<>();
    if (settings.watchNamespaces().isEmpty()) {
      scopes.add(client.genericKubernetesResources(context).inAnyNamespace());
    } else {
      settings
          .watchNamespaces()
          .forEach(ns -> scopes.add(client.genericKubernetesResources(context).inNamespace(ns)));
    }
    List<CompletableFuture<Void>> listed = new ArrayList<>();
    for (FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, ?>
        scope : scopes) {
      PresenceWatch watch =
          new PresenceWatch(
              scope,
              settings.watchSelector(),
              name + " for its first resource",
              client.getConfiguration().getWatchReconnectInterval(),
              onResource,
              executor);
      presence.add(watch);
      listed.add(watch.start());
    }
    return CompletableFuture.allOf(listed.toArray(CompletableFuture[]::new));
  }

  /** Whether a resource of the kind has been seen while it was dormant. */
  boolean hasResources() {
    return presence.stream().anyMatch(PresenceWatch::found);
  }

  boolean started() {
    return operator != null;
  }

  /**
   * True for the first caller only, until the start fails: a kind whose resources appear in
   * thousands is started once, not queued once for each.
   */
  boolean claimStart() {
    return startClaimed.compareAndSet(false, true);
  }

  /** The start failed: the next wake tries again. */
  void startFailed() {
    startClaimed.set(false);
  }

  /**
   * Starts the kind's controller, once: its Operator reconciles every resource of the kind its
   * informer lists, and the dormant watch ends. Returns once the controller's informer has synced.
   */
  synchronized void start() {
    if (operator != null || closed) {
      return;
    }
    Operator started = operators.get();
    registration.accept(started);
    started.start();
    releaseStartThreads(started);
    operator = started;
    presence.forEach(PresenceWatch::stop);
    presence.clear();
    LOG.info("started the {} controller: its first resource appeared", name);
  }

  /**
   * The Operator SDK starts a controller and its event sources on a cached pool whose threads stay
   * a minute once idle; they end at once instead, and the pool makes new ones when it has work.
   */
  private static void releaseStartThreads(Operator operator) {
    if (operator.getConfigurationService().getExecutorServiceManager().cachingExecutorService()
        instanceof ThreadPoolExecutor pool) {
      pool.setKeepAliveTime(1, TimeUnit.SECONDS);
    }
  }

  /**
   * Ready: the dormant kind's watch has listed every scope once, or every informer of the started
   * controller has listed its resources and runs. Whether a watch is connected right now is not
   * part of it: a watch over HTTP ({@link KubernetesClients}) says it is watching only once its
   * first event arrived, which for a kind without resources may be minutes; an informer whose watch
   * broke lists and watches again by itself.
   */
  boolean ready() {
    Operator current = operator;
    return current != null
        ? current.getRuntimeInfo().unhealthyEventSources().values().stream()
            .flatMap(sources -> sources.values().stream())
            .allMatch(KindController::listed)
        : presence.stream().allMatch(PresenceWatch::listed);
  }

  /** An event source the Operator SDK calls unhealthy only because its watch has seen no event. */
  private static boolean listed(EventSourceHealthIndicator source) {
    return source instanceof InformerWrappingEventSourceHealthIndicator<?> informers
        && informers.informerHealthIndicators().values().stream()
            .allMatch(i -> i.isRunning() && i.hasSynced());
  }

  /** Stops the watch, or the controller after the reconciles in flight. */
  @Override
  public synchronized void close() {
    closed = true;
    presence.forEach(PresenceWatch::stop);
    presence.clear();
    if (operator != null) {
      operator.stop();
    }
  }
}
