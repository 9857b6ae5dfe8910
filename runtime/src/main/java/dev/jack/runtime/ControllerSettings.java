package dev.jack.runtime;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How the controller runs, from its flags (ACK's names). Built with {@link #builder}, whose
 * defaults are ACK's, so that a new flag changes no caller that does not set it.
 *
 * @param region {@code --aws-region}: the default region of resources
 * @param endpoint {@code --aws-endpoint-url}: another AWS endpoint (an emulator), or null
 * @param identityEndpoint {@code --aws-identity-endpoint-url}: the STS endpoint jack learns its
 *     account from; null for {@code endpoint}
 * @param endpointPathStyle {@code --aws-endpoint-use-path-style}: S3 path-style addressing; null
 *     for path style exactly when {@code endpoint} is set
 * @param httpClientTimeout {@code --http-client-timeout}: the longest one AWS call may take
 * @param watchNamespaces {@code --watch-namespace}: the namespaces to watch; empty for all
 * @param watchSelector {@code --watch-selectors}: a label selector of the resources to reconcile,
 *     or null for all
 * @param reconcileResources {@code --reconcile-resources}: the kinds that get a reconciler; empty
 *     for all
 * @param resyncPeriod {@code --reconcile-default-resync-seconds}: how often a synced resource is
 *     compared with AWS again, to repair drift
 * @param resyncPeriods {@code --reconcile-resource-resync-seconds}: per kind overrides
 * @param maxConcurrentSyncs {@code --reconcile-default-max-concurrent-syncs}
 * @param maxConcurrentSyncsByKind {@code --reconcile-resource-max-concurrent-syncs}: per kind
 * @param deletionPolicy {@code --deletion-policy}: {@code delete} or {@code retain}
 * @param controllerVersion the version {@code %CONTROLLER_VERSION%} stands for in the tags
 * @param featureGates {@code --feature-gates}: ACK's optional features
 * @param resourceTags {@code --resource-tags}: the tags added to everything jack creates
 * @param fieldExports {@code --enable-field-export-reconciler}: serve FieldExports of the kinds
 *     this process reconciles
 * @param carm {@code --enable-carm}: serve namespaces of other accounts through the roles of {@code
 *     ack-role-account-map}
 * @param crossNamespace {@code --enable-cross-namespace}: references and exports into other
 *     namespaces are allowed
 * @param systemNamespace the controller's own namespace ({@code ACK_SYSTEM_NAMESPACE}), where the
 *     CARM ConfigMaps live; null when unknown
 */
public record ControllerSettings(
    String region,
    URI endpoint,
    URI identityEndpoint,
    Boolean endpointPathStyle,
    Duration httpClientTimeout,
    Set<String> watchNamespaces,
    String watchSelector,
    Set<String> reconcileResources,
    Duration resyncPeriod,
    Map<String, Duration> resyncPeriods,
    int maxConcurrentSyncs,
    Map<String, Integer> maxConcurrentSyncsByKind,
    DeletionPolicy deletionPolicy,
    String controllerVersion,
    FeatureGates featureGates,
    ResourceTags resourceTags,
    boolean fieldExports,
    boolean carm,
    boolean crossNamespace,
    String systemNamespace) {

  /** ACK's {@code --reconcile-default-resync-seconds} default: 10 hours. */
  public static final Duration DEFAULT_RESYNC_PERIOD = Duration.ofHours(10);

  /** ACK's {@code --http-client-timeout} default. */
  public static final Duration DEFAULT_HTTP_CLIENT_TIMEOUT = Duration.ofSeconds(60);

  public Duration resyncPeriod(String kind) {
    return resyncPeriods.getOrDefault(kind, resyncPeriod);
  }

  /** Whether {@code kind} gets a reconciler ({@code --reconcile-resources}). */
  public boolean reconciles(String kind) {
    return reconcileResources.isEmpty() || reconcileResources.contains(kind);
  }

  /**
   * How many resources of {@code kind} are reconciled at once ({@code
   * --reconcile-resource-max-concurrent-syncs}, else {@code
   * --reconcile-default-max-concurrent-syncs}).
   */
  public int maxConcurrentSyncs(String kind) {
    return maxConcurrentSyncsByKind.getOrDefault(kind, maxConcurrentSyncs);
  }

  /** Settings with ACK's defaults, in {@code region}. */
  public static Builder builder(String region) {
    return new Builder(region);
  }

  /** The settings, with ACK's defaults for what is not set. */
  public static final class Builder {

    private String region;
    private URI endpoint;
    private URI identityEndpoint;
    private Boolean endpointPathStyle;
    private Duration httpClientTimeout = DEFAULT_HTTP_CLIENT_TIMEOUT;
    private Set<String> watchNamespaces = Set.of();
    private String watchSelector;
    private Set<String> reconcileResources = Set.of();
    private Duration resyncPeriod = DEFAULT_RESYNC_PERIOD;
    private Map<String, Duration> resyncPeriods = Map.of();
    private int maxConcurrentSyncs = 1;
    private Map<String, Integer> maxConcurrentSyncsByKind = Map.of();
    private DeletionPolicy deletionPolicy = DeletionPolicy.DELETE;
    private String controllerVersion = ResourceTags.UNKNOWN_VERSION;
    private FeatureGates featureGates = FeatureGates.defaults();
    private ResourceTags resourceTags = ResourceTags.defaults();
    private boolean fieldExports = true;
    private boolean carm;
    private boolean crossNamespace;
    private String systemNamespace;

    private Builder(String region) {
      this.region = region;
    }

    public Builder region(String region) {
      this.region = region;
      return this;
    }

    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    public Builder identityEndpoint(URI identityEndpoint) {
      this.identityEndpoint = identityEndpoint;
      return this;
    }

    public Builder endpointPathStyle(Boolean endpointPathStyle) {
      this.endpointPathStyle = endpointPathStyle;
      return this;
    }

    public Builder httpClientTimeout(Duration httpClientTimeout) {
      this.httpClientTimeout = httpClientTimeout;
      return this;
    }

    public Builder watchNamespaces(Collection<String> watchNamespaces) {
      this.watchNamespaces = orderedSet(watchNamespaces);
      return this;
    }

    public Builder watchSelector(String watchSelector) {
      this.watchSelector = watchSelector;
      return this;
    }

    public Builder reconcileResources(Collection<String> reconcileResources) {
      this.reconcileResources = orderedSet(reconcileResources);
      return this;
    }

    public Builder resyncPeriod(Duration resyncPeriod) {
      this.resyncPeriod = resyncPeriod;
      return this;
    }

    public Builder resyncPeriods(Map<String, Duration> resyncPeriods) {
      this.resyncPeriods = Collections.unmodifiableMap(new LinkedHashMap<>(resyncPeriods));
      return this;
    }

    public Builder maxConcurrentSyncs(int maxConcurrentSyncs) {
      this.maxConcurrentSyncs = maxConcurrentSyncs;
      return this;
    }

    public Builder maxConcurrentSyncsByKind(Map<String, Integer> maxConcurrentSyncsByKind) {
      this.maxConcurrentSyncsByKind =
          Collections.unmodifiableMap(new LinkedHashMap<>(maxConcurrentSyncsByKind));
      return this;
    }

    public Builder deletionPolicy(DeletionPolicy deletionPolicy) {
      this.deletionPolicy = deletionPolicy;
      return this;
    }

    public Builder controllerVersion(String controllerVersion) {
      this.controllerVersion = controllerVersion;
      return this;
    }

    public Builder featureGates(FeatureGates featureGates) {
      this.featureGates = featureGates;
      return this;
    }

    public Builder resourceTags(ResourceTags resourceTags) {
      this.resourceTags = resourceTags;
      return this;
    }

    public Builder fieldExports(boolean fieldExports) {
      this.fieldExports = fieldExports;
      return this;
    }

    public Builder carm(boolean carm) {
      this.carm = carm;
      return this;
    }

    public Builder crossNamespace(boolean crossNamespace) {
      this.crossNamespace = crossNamespace;
      return this;
    }

    public Builder systemNamespace(String systemNamespace) {
      this.systemNamespace = systemNamespace;
      return this;
    }

    public ControllerSettings build() {
      return new ControllerSettings(
          region,
          endpoint,
          identityEndpoint,
          endpointPathStyle,
          httpClientTimeout,
          watchNamespaces,
          watchSelector,
          reconcileResources,
          resyncPeriod,
          resyncPeriods,
          maxConcurrentSyncs,
          maxConcurrentSyncsByKind,
          deletionPolicy,
          controllerVersion,
          featureGates,
          resourceTags,
          fieldExports,
          carm,
          crossNamespace,
          systemNamespace);
    }

    private static Set<String> orderedSet(Collection<String> values) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }
  }
}
