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
import dev.jack.runtime.ReferenceWatch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.ResolvedControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * One controller process: the reconcilers of every kind of the selected services on one Java
 * Operator SDK operator, sharing one Kubernetes client, one set of AWS clients and rate limiters,
 * and one metrics registry; with /metrics, /healthz and /readyz.
 */
public final class JackController implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JackController.class);

  private final Operator operator;
  private final AwsClients clients;
  private final AccountRoles accountRoles;
  private final Namespaces namespaces;
  private final PrometheusMeterRegistry registry;
  private final List<HttpServer> servers = new ArrayList<>();
  private final List<String> kinds = new ArrayList<>();
  private final KubernetesClient client;
  private final ControllerSettings settings;
  private Class<? extends CustomResource<?, ?>> firstKind;
  private final Map<String, Class<? extends CustomResource<?, ?>>> served = new HashMap<>();

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
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ApiMetrics metrics = new ApiMetrics(registry);
    this.clients = new AwsClients(settings, credentials, metrics);
    this.accountRoles = AccountRoles.of(client, settings);
    this.namespaces = Namespaces.watch(client);
    this.operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withLeaderElectionConfiguration(
                        leaderElectionNamespace == null
                            ? null
                            : leaderElection(
                                leaseName, leaderElectionNamespace, identity, onStopLeading))
                    .withReconciliationTerminationTimeout(IN_FLIGHT_GRACE)
                    .withCloseClientOnStop(false)
                    .withExecutorService(reconcilePool(settings, services))
                    .withStopOnInformerErrorDuringStartup(false));
    EventRecorder events = new EventRecorder(client, Clock.systemUTC());
    Conditions conditions = new Conditions(Clock.systemUTC());
    ReferenceWatch referenceWatch = new ReferenceWatch();
    for (AwsService service : services) {
      for (ManagedKind<?> kind : service.kinds()) {
        if (settings.reconciles(kind.resourceClass().getSimpleName())) {
          register(kind, service, settings, events, conditions, metrics, referenceWatch);
        }
      }
    }
    if (settings.fieldExports() && !served.isEmpty()) {
      registerFieldExports(conditions, events, referenceWatch);
    }
  }

  /**
   * Java Operator SDK's one pool for every kind, as large as the kinds' shares together (each kind
   * keeps to its own share, {@code SyncSlots}), so that a kind at its limit, or waiting on AWS's
   * throttling, never holds another kind up. Its threads start when work comes and end after a
   * minute idle: a process serving many kinds holds only the threads its load needs.
   */
  static ExecutorService reconcilePool(ControllerSettings settings, List<AwsService> services) {
    int threads = settings.fieldExports() ? 1 : 0;
    for (AwsService service : services) {
      for (ManagedKind<?> kind : service.kinds()) {
        String name = kind.resourceClass().getSimpleName();
        if (settings.reconciles(name)) {
          threads += settings.maxConcurrentSyncs(name);
        }
      }
    }
    AtomicInteger counter = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            Math.max(1, threads),
            Math.max(1, threads),
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            task -> new Thread(task, "reconcile-" + counter.incrementAndGet()));
    pool.allowCoreThreadTimeOut(true);
    return pool;
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

  private static LeaderElectionConfiguration leaderElection(
      String lease, String namespace, String identity, Runnable onStopLeading) {
    return new LeaderElectionConfiguration(
        lease,
        namespace,
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        identity,
        new LeaderCallbacks(
            () -> LOG.info("leading: reconciling"),
            () -> {
              LOG.info("stopped leading");
              onStopLeading.run();
            },
            leader -> LOG.info("the leader is {}", leader)),
        false);
  }

  private <R extends CustomResource<?, ? extends AckStatus>> void register(
      ManagedKind<R> kind,
      AwsService service,
      ControllerSettings settings,
      EventRecorder events,
      Conditions conditions,
      ApiMetrics metrics,
      ReferenceWatch referenceWatch) {
    AwsResourceReconciler<R> reconciler =
        new AwsResourceReconciler<>(
            kind.resourceClass(),
            service,
            kind.manager().apply(KindDescriptor.of(kind.resourceClass())),
            clients,
            settings,
            events,
            conditions,
            metrics,
            referenceWatch,
            accountRoles,
            namespaces);
    String name = service.name() + "-" + reconciler.descriptor().kind().toLowerCase();
    operator.register(
        reconciler,
        configuration(
                kind.resourceClass(),
                name,
                AwsResourceReconciler.class,
                reconciler.finalizer(),
                settings.resyncPeriod(reconciler.descriptor().kind()))
            .withOnUpdateFilter(JackController::needsReconcile)
            .build());
    served.put(
        FieldExportReconciler.kindKey(
            reconciler.descriptor().group(), reconciler.descriptor().kind()),
        kind.resourceClass());
    kinds.add(reconciler.descriptor().group() + "/" + reconciler.descriptor().kind());
    if (firstKind == null) {
      firstKind = kind.resourceClass();
    }
  }

  /**
   * ACK's FieldExports of the kinds this process serves; those of other kinds are left to the
   * controller that serves them (no finalizer, no status).
   */
  private void registerFieldExports(
      Conditions conditions, EventRecorder events, ReferenceWatch watch) {
    FieldExportReconciler reconciler =
        new FieldExportReconciler(
            served, watch, conditions, events, settings.resyncPeriod(), settings.crossNamespace());
    operator.register(
        reconciler,
        configuration(
                FieldExport.class,
                "fieldexports",
                FieldExportReconciler.class,
                FieldExportReconciler.FINALIZER,
                settings.resyncPeriod())
            .withGenericFilter(reconciler::serves)
            .withOnUpdateFilter(JackController::needsReconcile)
            .build());
  }

  /** One controller's configuration: its informer, finalizer, resync period and retry. */
  private <R extends HasMetadata> ControllerConfigurationOverrider<R> configuration(
      Class<R> resourceClass,
      String name,
      Class<?> reconcilerClass,
      String finalizer,
      Duration resync) {
    // Only for what no reconciler answers itself: a failed sync of an AWS resource waits by
    // jack's own backoff (Conditions.failureBackoff), which a deferred reconcile cannot reset.
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
   * on-demand check), and finalizer or deletion changes; not jack's own status updates.
   */
  static boolean needsReconcile(HasMetadata updated, HasMetadata previous) {
    ObjectMeta now = updated.getMetadata();
    ObjectMeta before = previous.getMetadata();
    return (!Objects.equals(now.getGeneration(), before.getGeneration())
            && !isLateInitialization(now))
        || !Objects.equals(userAnnotations(now), userAnnotations(before))
        || !Objects.equals(now.getFinalizers(), before.getFinalizers())
        || !Objects.equals(now.getDeletionTimestamp(), before.getDeletionTimestamp());
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
   * Starts the reconcilers; returns once their informers have synced.
   *
   * @throws IllegalArgumentException when the API server rejects {@code --watch-selectors}
   */
  public void start() {
    checkWatchSelector();
    operator.start();
    releaseStartThreads();
    LOG.info("jack controller started: {}", kinds);
  }

  /**
   * Java Operator SDK starts every kind's controller and event sources at once, on a cached pool
   * whose threads stay a minute once idle: with every service, 236 threads (about 20 MiB resident)
   * for the first minute of a process that then needs none of them. They end at once instead; the
   * pool makes new ones when it has work again.
   */
  private void releaseStartThreads() {
    if (operator.getConfigurationService().getExecutorServiceManager().cachingExecutorService()
        instanceof ThreadPoolExecutor pool) {
      pool.setKeepAliveTime(1, TimeUnit.SECONDS);
    }
  }

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
                operator.getRuntimeInfo().isStarted()
                    && operator.getRuntimeInfo().allEventSourcesAreHealthy();
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
    operator.stop();
    releaseLease();
    accountRoles.close();
    namespaces.close();
    clients.close();
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
