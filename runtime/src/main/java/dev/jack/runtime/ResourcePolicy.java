package dev.jack.runtime;

import static dev.jack.runtime.AwsResourceReconciler.DEFAULT_REGION_ANNOTATION;
import static dev.jack.runtime.AwsResourceReconciler.DELETION_POLICY_ANNOTATION;
import static dev.jack.runtime.AwsResourceReconciler.ENDPOINT_URL_ANNOTATION;
import static dev.jack.runtime.AwsResourceReconciler.REGION_ANNOTATION;
import static dev.jack.runtime.AwsResourceReconciler.RESYNC_ANNOTATION;

import dev.jack.api.AckResourceMetadata;
import dev.jack.api.AckStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * What decides, for one resource of a kind, where it lives and how it is looked after: its region,
 * its endpoint, its deletion policy and its resync period, each from the resource's annotation, its
 * namespace's, or the controller's flag, in that order. Once jack has recorded a resource's region
 * and account, those are pinned: a later change is reported (a terminal error that says how to move
 * it), never acted on, since acting would create a second resource and orphan the first.
 */
final class ResourcePolicy {

  private final String kind;
  private final String service;
  private final ControllerSettings settings;

  ResourcePolicy(String kind, String service, ControllerSettings settings) {
    this.kind = kind;
    this.service = service;
    this.settings = settings;
  }

  /** The region the resource lives in: the one jack recorded, else the one configured for it. */
  String region(HasMetadata resource, Namespace namespace, AckStatus status) {
    String resolved = configuredRegion(resource, namespace);
    AckResourceMetadata metadata = status.getAckResourceMetadata();
    String pinned = metadata == null ? null : metadata.getRegion();
    if (pinned == null || pinned.equals(resolved)) {
      return resolved;
    }
    throw new TerminalException(
        "The "
            + kind
            + " lives in "
            + pinned
            + ", but its region now resolves to "
            + resolved
            + " (annotation "
            + REGION_ANNOTATION
            + ", the namespace's "
            + DEFAULT_REGION_ANNOTATION
            + " or --aws-region). jack does not move resources: restore "
            + pinned
            + ", or delete this resource (with deletion-policy retain to keep the AWS one) and"
            + " create it anew in "
            + resolved);
  }

  /** The resource stays in the account jack recorded for it; a change is reported, not acted on. */
  void checkAccount(AckStatus status, String accountId) {
    AckResourceMetadata metadata = status.getAckResourceMetadata();
    String pinned = metadata == null ? null : metadata.getOwnerAccountID();
    if (pinned != null && !pinned.equals(accountId)) {
      throw new TerminalException(
          "The "
              + kind
              + " belongs to account "
              + pinned
              + ", but jack's credentials for it are now of account "
              + accountId
              + ". jack does not move resources: restore access to "
              + pinned
              + ", or delete this resource (with deletion-policy retain) and create it anew");
    }
  }

  /** The namespace's {@code services.k8s.aws/endpoint-url}, or null for the controller's own. */
  static URI endpoint(Namespace namespace) {
    String value = annotation(namespace, ENDPOINT_URL_ANNOTATION);
    if (value == null) {
      return null;
    }
    try {
      URI uri = URI.create(value.trim());
      if (uri.getScheme() != null && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // Reported below.
    }
    throw new TerminalException(
        "Namespace "
            + namespace.getMetadata().getName()
            + " has "
            + ENDPOINT_URL_ANNOTATION
            + "='"
            + value
            + "', which is no URL such as https://vpce-1234.s3.us-east-1.vpce.amazonaws.com");
  }

  /**
   * The resource's {@code services.k8s.aws/deletion-policy}, else its namespace's for this service
   * ({@code <service>.services.k8s.aws/deletion-policy}), else the flag's.
   */
  DeletionPolicy deletionPolicy(HasMetadata resource, Namespace namespace) {
    String annotated = annotation(resource, DELETION_POLICY_ANNOTATION);
    if (annotated != null) {
      return DeletionPolicy.parse(annotated, DELETION_POLICY_ANNOTATION);
    }
    String key = service + ".services.k8s.aws/deletion-policy";
    String byNamespace = annotation(namespace, key);
    if (byNamespace != null) {
      return DeletionPolicy.parse(
          byNamespace, key + " on namespace " + resource.getMetadata().getNamespace());
    }
    return settings.deletionPolicy();
  }

  /** The resource's own resync period, or its kind's; a bad value is a terminal error. */
  Duration resyncPeriod(HasMetadata resource) {
    String annotated = annotation(resource, RESYNC_ANNOTATION);
    if (annotated == null) {
      return kindResyncPeriod();
    }
    try {
      long seconds = Long.parseLong(annotated.trim());
      if (seconds > 0) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new TerminalException(
        RESYNC_ANNOTATION + " must be a positive number of seconds, not '" + annotated + "'");
  }

  /** The kind's resync period ({@code --reconcile-resource-resync-seconds}, else the default). */
  Duration kindResyncPeriod() {
    return settings.resyncPeriod(kind);
  }

  /** A non-blank annotation of the object (a resource, a namespace), or null. */
  static String annotation(HasMetadata object, String key) {
    Map<String, String> annotations = object == null ? null : object.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(key);
    return value == null || value.isBlank() ? null : value;
  }

  private String configuredRegion(HasMetadata resource, Namespace namespace) {
    String annotated = annotation(resource, REGION_ANNOTATION);
    if (annotated != null) {
      return annotated;
    }
    String byNamespace = annotation(namespace, DEFAULT_REGION_ANNOTATION);
    return byNamespace != null ? byNamespace : settings.region();
  }
}
