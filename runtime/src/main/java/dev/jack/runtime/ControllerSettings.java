package dev.jack.runtime;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How the controller runs, from its flags (ACK's names).
 *
 * @param region {@code --aws-region}: the default region of resources
 * @param endpoint {@code --aws-endpoint-url}: another AWS endpoint (an emulator), or null
 * @param watchNamespaces {@code --watch-namespace}: the namespaces to watch; empty for all
 * @param resyncPeriod {@code --reconcile-default-resync-seconds}: how often a synced resource is
 *     compared with AWS again, to repair drift
 * @param resyncPeriods {@code --reconcile-resource-resync-seconds}: per kind overrides
 * @param maxConcurrentSyncs {@code --reconcile-default-max-concurrent-syncs}
 * @param deletionPolicy {@code --deletion-policy}: {@code delete} or {@code retain}
 * @param controllerVersion the version written in the default tags
 * @param featureGates {@code --feature-gates}: ACK's optional features
 */
public record ControllerSettings(
    String region,
    URI endpoint,
    Set<String> watchNamespaces,
    Duration resyncPeriod,
    Map<String, Duration> resyncPeriods,
    int maxConcurrentSyncs,
    DeletionPolicy deletionPolicy,
    String controllerVersion,
    FeatureGates featureGates) {

  public Duration resyncPeriod(String kind) {
    return resyncPeriods.getOrDefault(kind, resyncPeriod);
  }
}
