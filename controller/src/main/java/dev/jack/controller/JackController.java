package dev.jack.controller;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jack.api.AckStatus;
import dev.jack.api.core.FieldExport;
import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.runtime.AccountRoles;
import dev.jack.runtime.ApiMetrics;
import dev.jack.runtime.AwsClients;
import dev.jack.runtime.AwsResourceReconciler;
import dev.jack.runtime.AwsService;
import dev.jack.runtime.AwsService.ManagedKind;
import dev.jack.runtime.Conditions;
import dev.jack.runtime.ControllerSettings;
import dev.jack.runtime.EventRecorder;
import dev.jack.runtime.FieldExportReconciler;
import dev.jack.runtime.Namespaces;
import dev.jack.runtime.ReconcileShare;
import dev.jack.runtime.ReferenceWatch;
import dev.jack.runtime.ThreadPools;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.ResolvedControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * One controller process: the reconcilers of every kind of the selected services, sharing one
 * Kubernetes client, one set of AWS clients and rate limiters, and one metrics registry; with
 * /metrics, /healthz and /readyz. Each kind's controller ({@link KindController}) starts when the
 * kind has a resource, on a Java Operator SDK Operator of its own; the process, not each Operator,
 * competes for the Lease when replicas elect a leader.
 */
public final class JackController implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JackController.class);

  private final List<KindController> controllers = new ArrayList<>();
  private final AwsClients clients;
  private final AccountRoles accountRoles;
  private final Namespaces namespaces;
  private final PrometheusMeterRegistry registry;
  private final List<HttpServer> servers = new ArrayList<>();
  private final List<String> kinds = new ArrayList<>();
  private final KubernetesClient client;

  /** Connections to the API server beyond {@link #client}'s, for the kinds' watches. */
  private final List<KubernetesClient> connections = new ArrayList<>();

  private final ControllerSettings settings;
  private final Runnable onStopLeading;
  private Class<? extends CustomResource<?, ?>> firstKind;
  private final Map<String, Class<? extends CustomResource<?, ?>>> served = new HashMap<>();

  /** Starts the kinds whose first resource appeared, a few at a time, off the watches' threads. */
  private final ThreadPoolExecutor starter;

  /** Every kind's Kubernetes Events, sent on the recorder's own thread. */
  private final EventRecorder events;

  /**
   * Makes the dormant kinds' lists ({@link PresenceWatch}), which wait for the API server's answer:
   * enough of them at once that the API server answers the kinds' lists together.
   */
  private final ThreadPoolExecutor lists =
      ThreadPools.pool("kind-lists", LIST_THREADS, Duration.ofSeconds(1), true);

  private static final int LIST_THREADS = 16;

  /** Whether this process reconciles: it leads, or it runs without leader election. */
  private volatile boolean leading;

  /** Whether {@link #start} has seen every kind's watch list once. */
  private volatile boolean listed;

  private CompletableFuture<?> election;

  /** The Lease that replicas running several services compete for. */
  public static final String LEASE_NAME = "jack-controller-leader";

  /** How long a stop waits for the reconciles in flight (the chart gives the pod 30 s). */
  static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(20);

  private final String leaseName;
  private final String leaseNamespace;
  private final String identity;

  /**
   * @param leaderElectionNamespace where the replicas' Lease lives; null to run without leader
   *     election
   * @param onStopLeading what to do when this replica stops leading (the executable exits, so that
   *     a restart competes again)
   */
  public JackController(
      KubernetesClient client,
      ControllerSettings settings,
      List<AwsService> services,
      AwsCredentialsProvider credentials,
      String leaderElectionNamespace,
      Runnable onStopLeading) {
    this.client = client;
    this.settings = settings;
    this.leaseName = leaseName(services);
    this.leaseNamespace = leaderElectionNamespace;
    // The pod's name, made unique as client-go makes it: two processes never share an identity.
    String host = System.getenv("HOSTNAME");
    this.identity =
        (host == null || host.isBlank() ? "jack" : host) + "_" + java.util.UUID.randomUUID();
    this.onStopLeading = onStopLeading;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ApiMetrics metrics = new ApiMetrics(registry);
    this.clients =
        new AwsClients(settings, credentials, metrics, concurrentReconciles(services, settings));
    // Before the first informers: their requests would each open a connection of their own.
    KubernetesClients.connect(client);
    this.accountRoles = AccountRoles.of(client, settings);
    this.namespaces = Namespaces.watch(client);
    this.starter = ThreadPools.pool("kind-starter", STARTER_THREADS, Duration.ofSeconds(1), true);
    this.events = new EventRecorder(client, Clock.systemUTC());
    Conditions conditions = new Conditions(Clock.systemUTC());
    ReferenceWatch referenceWatch = new ReferenceWatch();
    for (AwsService service : services) {
      for (ManagedKind<?> kind : service.kinds()) {
        if (settings.reconciles(kind.resourceClass().getSimpleName())) {
          add(kind, service, settings, events, conditions, metrics, referenceWatch);
        }
      }
    }
    if (settings.fieldExports() && !served.isEmpty()) {
      addFieldExports(conditions, events, referenceWatch);
    }
    for (boolean started : new boolean[] {true, false}) {
      Gauge.builder(
              "jack_kind_controllers",
              controllers,
              all -> all.stream().filter(kind -> kind.started() == started).count())
          .description(
              "Kinds whose controller runs (started: they have had resources) or waits for their"
                  + " first resource (dormant)")
          .tag("state", started ? "started" : "dormant")
          .register(registry);
    }
  }

  /**
   * The most watches one connection to the API server carries. A client's watches and requests are
   * streams of one HTTP/2 connection ({@link KubernetesClients}); an API server allows so many
   * streams per connection (kube-apiserver 1000, Go's servers 250 unless set), and the JDK's HTTP
   * client fails a request beyond that rather than open another connection (JDK-8225647). 64 leaves
   * room for the requests in flight and for the watches that replace a kind's at its start.
   */
  public static final int WATCHES_PER_CONNECTION = 64;

  /**
   * The client of the kind added as the {@code index}th: kinds share a connection as long as their
   * watches (one per watched namespace) fit in {@link #WATCHES_PER_CONNECTION}.
   */
  private KubernetesClient connectionFor(int index) {
    int watchesPerKind = Math.max(1, settings.watchNamespaces().size());
    int connection = index * watchesPerKind / WATCHES_PER_CONNECTION;
    while (connections.size() < connection) {
      connections.add(KubernetesClients.create(client.getConfiguration()));
    }
    return connection == 0 ? client : connections.get(connection - 1);
  }

  /** How many kinds start at once when their first resources appear together. */
  private static final int STARTER_THREADS = 4;

  /**
   * A new Operator for one kind's controller, on the kind's connection to the API server; leader
   * election is the process's ({@link #start}), not the Operator's.
   */
  private static Operator newOperator(ExecutorService reconciles, KubernetesClient connection) {
    return new Operator(
        o ->
            o.withKubernetesClient(connection)
                .withReconciliationTerminationTimeout(IN_FLIGHT_GRACE)
                .withCloseClientOnStop(false)
                .withExecutorService(reconciles)
                .withStopOnInformerErrorDuringStartup(false));
  }

  /**
   * The Lease replicas compete for: ACK's ({@code ack-<group>}) when one service runs, so that jack
   * and ACK's controller of that service exclude each other during a migration; jack's own for
   * several services, which no one ACK controller shares.
   */
  static String leaseName(List<AwsService> services) {
    return services.size() == 1
        ? "ack-" + services.get(0).name() + ".services.k8s.aws"
        : LEASE_NAME;
  }

  /** The Lease this controller's replicas compete for, when they elect a leader. */
  public String leaseName() {
    return leaseName;
  }

  /**
   * Competes for the Lease as the Java Operator SDK would (its durations, fabric8's elector): while
   * this replica leads, its kinds with resources run; when it stops leading, {@code onStopLeading}
   * runs (the executable exits, so that a restart competes again). A standby watches which kinds
   * have resources, ready to start them the moment it leads.
   */
  private CompletableFuture<?> compete() {
    LeaderElectionConfig config =
        new LeaderElectionConfig(
            new LeaseLock(leaseNamespace, leaseName, identity),
            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
            new LeaderCallbacks(
                () -> {
                  LOG.info("leading: reconciling");
                  leading = true;
                  controllers.stream().filter(KindController::hasResources).forEach(this::wake);
                },
                () -> {
                  LOG.info("stopped leading");
                  onStopLeading.run();
                },
                leader -> LOG.info("the leader is {}", leader)),
            // false: the end of leadership is reported however it ends, a close included.
            false,
            leaseName);
    return new LeaderElectorBuilder(client, starter).withConfig(config).build().start();
  }

  /** Fails at once, with what to grant, when RBAC does not let this replica read its Lease. */
  private void checkLeaseAccess() {
    try {
      client.leases().inNamespace(leaseNamespace).withName(leaseName).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new IllegalStateException(
            "leader election: RBAC does not let this controller read the Lease "
                + leaseNamespace
                + "/"
                + leaseName
                + "; grant get, create and update on leases.coordination.k8s.io in "
                + leaseNamespace,
            e);
      }
      throw e;
    }
  }

  /** The most reconciles that can run at once: the workers of every kind this process serves. */
  static int concurrentReconciles(List<AwsService> services, ControllerSettings settings) {
    int reconciles = 0;
    for (AwsService service : services) {
      for (ManagedKind<?> kind : service.kinds()) {
        if (settings.reconciles(kind.resourceClass().getSimpleName())) {
          reconciles += settings.maxConcurrentSyncs(HasMetadata.getKind(kind.resourceClass()));
        }
      }
    }
    return Math.max(1, reconciles);
  }

  private <R extends CustomResource<?, ? extends AckStatus>> void add(
      ManagedKind<R> kind,
      AwsService service,
      ControllerSettings settings,
      EventRecorder events,
      Conditions conditions,
      ApiMetrics metrics,
      ReferenceWatch referenceWatch) {
    Class<R> resourceClass = kind.resourceClass();
    String group = HasMetadata.getGroup(resourceClass);
    String kindName = HasMetadata.getKind(resourceClass);
    String name = service.name() + "-" + kindName.toLowerCase();
    ReconcileShare share = new ReconcileShare(name, settings.maxConcurrentSyncs(kindName));
    KubernetesClient connection = connectionFor(controllers.size());
    controllers.add(
        new KindController(
            name,
            resourceClass,
            connection,
            () -> newOperator(share.newPool(), connection),
            operator -> {
              AwsResourceReconciler<R> reconciler =
                  new AwsResourceReconciler<>(
                      resourceClass,
                      service,
                      kind.manager().apply(KindDescriptor.of(resourceClass)),
                      clients,
                      settings,
                      events,
                      conditions,
                      metrics,
                      referenceWatch,
                      accountRoles,
                      namespaces,
                      share);
              operator.register(
                  reconciler,
                  configuration(
                          operator,
                          resourceClass,
                          name,
                          AwsResourceReconciler.class,
                          reconciler.finalizer(),
                          settings.resyncPeriod(kindName))
                      // The reconciler adds and removes its finalizer itself (with its claim).
                      .withTriggerReconcilerOnAllEvents(true)
                      .withOnUpdateFilter(JackController::needsReconcile)
                      .build());
            }));
    served.put(FieldExportReconciler.kindKey(group, kindName), resourceClass);
    kinds.add(group + "/" + kindName);
    if (firstKind == null) {
      firstKind = resourceClass;
    }
  }

  /**
   * ACK's FieldExports of the kinds this process serves; those of other kinds are left to the
   * controller that serves them (no finalizer, no status).
   */
  private void addFieldExports(Conditions conditions, EventRecorder events, ReferenceWatch watch) {
    String name = "fieldexports";
    KubernetesClient connection = connectionFor(controllers.size());
    controllers.add(
        new KindController(
            name,
            FieldExport.class,
            connection,
            () -> newOperator(ThreadPools.reconciles(name, 1), connection),
            operator -> {
              FieldExportReconciler reconciler =
                  new FieldExportReconciler(
                      served,
                      watch,
                      conditions,
                      events,
                      settings.resyncPeriod(),
                      settings.crossNamespace());
              operator.register(
                  reconciler,
                  configuration(
                          operator,
                          FieldExport.class,
                          name,
                          FieldExportReconciler.class,
                          FieldExportReconciler.FINALIZER,
                          settings.resyncPeriod())
                      .withGenericFilter(reconciler::serves)
                      .withOnUpdateFilter(JackController::fieldExportNeedsReconcile)
                      .build());
            }));
  }

  /** One controller's configuration: its informer, finalizer, resync period and retry. */
  private <R extends HasMetadata> ControllerConfigurationOverrider<R> configuration(
      Operator operator,
      Class<R> resourceClass,
      String name,
      Class<?> reconcilerClass,
      String finalizer,
      Duration resync) {
    // Only for what no reconciler answers itself: a failed sync of an AWS resource waits by
    // jack's own backoff (Conditions.failureBackoff), which a restart cannot reset.
    GenericRetry retry =
        new GenericRetry()
            .setInitialInterval(Duration.ofSeconds(1))
            .setIntervalMultiplier(2)
            .setMaxInterval(Duration.ofMinutes(5).toMillis())
            .withoutMaxAttempts();
    ResolvedControllerConfiguration<R> configuration =
        new ResolvedControllerConfiguration<>(
            name,
            false,
            reconcilerClass.getName(),
            retry,
            null,
            resync,
            finalizer,
            Map.of(),
            AwsResourceReconciler.FIELD_MANAGER,
            operator.getConfigurationService(),
            informerConfiguration(resourceClass, name, settings),
            false,
            null);
    return ControllerConfigurationOverrider.override(configuration);
  }

  /** What a kind's informer watches: the namespaces and the label selector of the flags. */
  static <R extends HasMetadata> InformerConfiguration<R> informerConfiguration(
      Class<R> resourceClass, String name, ControllerSettings settings) {
    InformerConfiguration<R>.Builder informer =
        InformerConfiguration.builder(resourceClass).withName(name);
    if (settings.watchNamespaces().isEmpty()) {
      informer.withWatchAllNamespaces();
    } else {
      informer.withNamespaces(settings.watchNamespaces());
    }
    if (settings.watchSelector() != null) {
      informer.withLabelSelector(settings.watchSelector());
    }
    return informer.buildForController();
  }

  /**
   * Which updates of a resource start a reconcile: a new generation (the spec changed), an
   * annotation change (deletion policy, region, resync period, or {@code jack.dev/refresh} for an
   * on-demand check), and the deletion; not jack's own writes: its status, its records, and its
   * finalizer, which it adds itself with the claim on what it creates.
   */
  static boolean needsReconcile(HasMetadata updated, HasMetadata previous) {
    ObjectMeta now = updated.getMetadata();
    ObjectMeta before = previous.getMetadata();
    return (!Objects.equals(now.getGeneration(), before.getGeneration())
            && !isLateInitialization(now))
        || !Objects.equals(userAnnotations(now), userAnnotations(before))
        || !Objects.equals(now.getDeletionTimestamp(), before.getDeletionTimestamp());
  }

  /**
   * A FieldExport's updates that start a reconcile: those of {@link #needsReconcile}, and a change
   * of its finalizers, which the Operator SDK adds before the first reconcile.
   */
  static boolean fieldExportNeedsReconcile(HasMetadata updated, HasMetadata previous) {
    return needsReconcile(updated, previous)
        || !Objects.equals(
            updated.getMetadata().getFinalizers(), previous.getMetadata().getFinalizers());
  }

  /** The annotations, without those jack writes itself. */
  private static Map<String, String> userAnnotations(ObjectMeta meta) {
    if (meta.getAnnotations() == null) {
      return Map.of();
    }
    Map<String, String> annotations = new java.util.HashMap<>(meta.getAnnotations());
    annotations.keySet().removeAll(AwsResourceReconciler.RECORD_ANNOTATIONS);
    return annotations;
  }

  /** Whether this generation is the one jack's late initialization made. */
  private static boolean isLateInitialization(ObjectMeta meta) {
    return meta.getAnnotations() != null
        && String.valueOf(meta.getGeneration())
            .equals(
                meta.getAnnotations()
                    .get(AwsResourceReconciler.LATE_INITIALIZED_GENERATION_ANNOTATION));
  }

  /**
   * Watches every kind for its resources and starts the controllers of the kinds that have some
   * (with leader election, once this replica leads); the other kinds start when their first
   * resource appears. Returns once every kind's watch has listed (at most {@link #LIST_TIMEOUT})
   * and, without leader election, the kinds with resources have started.
   *
   * @throws IllegalArgumentException when the API server rejects {@code --watch-selectors}
   */
  public void start() {
    checkWatchSelector();
    boolean elects = leaseNamespace != null;
    if (elects) {
      checkLeaseAccess();
    }
    leading = !elects;
    connections.forEach(KubernetesClients::connect);
    List<CompletableFuture<Void>> watches = new ArrayList<>();
    for (KindController kind : controllers) {
      watches.add(kind.watch(settings, () -> wake(kind), lists));
    }
    try {
      CompletableFuture.allOf(watches.toArray(CompletableFuture[]::new))
          .get(LIST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      if (starter.isShutdown()) {
        return; // stopped while listing: the watches ended, not timed out
      }
      LOG.warn(
          "not every kind's resources could be listed within {}; /readyz says not ready until they"
              + " are",
          LIST_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    listed = true;
    if (elects) {
      election = compete();
    } else {
      awaitStarted(controllers.stream().filter(KindController::hasResources).toList());
    }
    LOG.info(
        "jack controller started {} ms after the JVM: {} kinds, {} with resources",
        ManagementFactory.getRuntimeMXBean().getUptime(),
        kinds.size(),
        controllers.stream().filter(KindController::started).count());
  }

  /** The longest {@link #start} waits for the kinds' first lists (the Operator SDK's own). */
  static final Duration LIST_TIMEOUT = Duration.ofMinutes(2);

  /** Starts a kind's controller soon, off the caller's thread, when this process reconciles. */
  private void wake(KindController kind) {
    if (leading && !kind.started() && kind.claimStart()) {
      try {
        starter.execute(() -> startKind(kind));
      } catch (RejectedExecutionException e) {
        // The process stops.
      }
    }
  }

  /** Starts these kinds' controllers a few at a time and waits for them. */
  private void awaitStarted(List<KindController> kinds) {
    List<Future<?>> starts = new ArrayList<>();
    kinds.forEach(kind -> starts.add(starter.submit(() -> startKind(kind))));
    for (Future<?> start : starts) {
      try {
        start.get();
      } catch (ExecutionException e) {
        // startKind reports its own failures.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Starts a kind's controller; one that fails to start is tried again in a while. */
  private void startKind(KindController kind) {
    try {
      kind.start();
    } catch (RuntimeException e) {
      kind.startFailed();
      if (starter.isShutdown()) {
        return; // the process stops
      }
      LOG.error("could not start the {} controller; trying again in {}", kind.name(), RETRY, e);
      CompletableFuture.delayedExecutor(RETRY.toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> wake(kind));
    }
  }

  /** How long a kind whose controller failed to start waits before it is tried again. */
  private static final Duration RETRY = Duration.ofSeconds(10);

  /**
   * Asks the API server whether it takes {@code --watch-selectors}, with one list of one item: a
   * bad selector is then reported at start-up in the server's own words, not by every informer.
   */
  private void checkWatchSelector() {
    String selector = settings.watchSelector();
    if (selector == null || firstKind == null) {
      return;
    }
    try {
      client
          .resources(firstKind)
          .inAnyNamespace()
          .withLabelSelector(selector)
          .list(new ListOptionsBuilder().withLimit(1L).build());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 400) {
        throw new IllegalArgumentException(
            "--watch-selectors: the API server rejects '"
                + selector
                + "': "
                + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()),
            e);
      }
      throw e;
    }
  }

  /** Serves /metrics on one address and /healthz and /readyz on another (they may be equal). */
  public void serve(InetSocketAddress metricsAddress, InetSocketAddress healthAddress) {
    try {
      HttpServer metrics = HttpServer.create(metricsAddress, 0);
      metrics.createContext("/metrics", exchange -> respond(exchange, 200, registry.scrape()));
      HttpServer health =
          metricsAddress.equals(healthAddress) ? metrics : HttpServer.create(healthAddress, 0);
      health.createContext("/healthz", exchange -> respond(exchange, 200, "ok"));
      health.createContext(
          "/readyz",
          exchange -> {
            boolean ready =
                listed
                    && namespaces.listed()
                    && controllers.stream().allMatch(KindController::ready);
            respond(exchange, ready ? 200 : 503, ready ? "ok" : "not ready");
          });
      metrics.start();
      servers.add(metrics);
      if (health != metrics) {
        health.start();
        servers.add(health);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics and health endpoints", e);
    }
  }

  public String scrapeMetrics() {
    return registry.scrape();
  }

  public List<String> kinds() {
    return List.copyOf(kinds);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Stops gracefully: the reconciles in flight finish (up to {@link #IN_FLIGHT_GRACE}), then the
   * Lease is released, so that a standby replica takes over at once rather than when the Lease
   * expires.
   */
  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
    if (election != null) {
      election.cancel(false);
    }
    starter.shutdownNow();
    // Every kind stops at once, so that the grace for the reconciles in flight is shared.
    List<Thread> stops = new ArrayList<>();
    for (KindController kind : controllers) {
      Thread stop = new Thread(kind::close, "stop-" + kind.name());
      stop.start();
      stops.add(stop);
    }
    for (Thread stop : stops) {
      try {
        stop.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lists.shutdownNow();
    // The reconciles are over: their last events go before the connection does.
    events.close();
    releaseLease();
    accountRoles.close();
    namespaces.close();
    clients.close();
    connections.forEach(KubernetesClient::close);
  }

  /** Gives the Lease up if this replica holds it, as client-go's ReleaseOnCancel does. */
  private void releaseLease() {
    if (leaseNamespace == null) {
      return;
    }
    try {
      Lease lease = client.leases().inNamespace(leaseNamespace).withName(leaseName).get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
      client.leases().inNamespace(leaseNamespace).resource(lease).update();
      LOG.info("released the Lease {}/{}", leaseNamespace, leaseName);
    } catch (KubernetesClientException e) {
      // Not released: the standby takes over when it expires.
      LOG.warn("could not release the Lease {}/{}: {}", leaseNamespace, leaseName, e.getMessage());
    }
  }

  /** This replica's identity in the Lease. */
  public String identity() {
    return identity;
  }
}
