package dev.jack.runtime;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on resources: one for every AWS create, update and delete and for every
 * error. A repeated event (same resource, reason and message) increments its count instead of
 * adding another.
 */
public final class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "jack-controller";

  /** Why an event was recorded. */
  public enum Reason {
    Created,
    Updated,
    Deleted,
    Retained,
    LateInitialized,
    Terminal,
    Recoverable,
    NotImplemented,
    DeleteFailed,
    Adopted,
    Observed,
    NotManaged,
    Exported
  }

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata resource, Reason reason, String message) {
    record(resource, "Normal", reason, message);
  }

  public void warning(HasMetadata resource, Reason reason, String message) {
    record(resource, "Warning", reason, message);
  }

  private void record(HasMetadata resource, String type, Reason reason, String message) {
    String namespace = resource.getMetadata().getNamespace();
    String name =
        resource.getMetadata().getName()
            + "."
            + digest(resource.getMetadata().getUid() + reason + message);
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      Event existing = client.v1().events().inNamespace(namespace).withName(name).get();
      if (existing != null) {
        existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
        existing.setLastTimestamp(now);
        client.v1().events().inNamespace(namespace).resource(existing).update();
        return;
      }
      Event event =
          new EventBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(namespace)
              .endMetadata()
              .withInvolvedObject(
                  new ObjectReferenceBuilder()
                      .withApiVersion(resource.getApiVersion())
                      .withKind(resource.getKind())
                      .withName(resource.getMetadata().getName())
                      .withNamespace(namespace)
                      .withUid(resource.getMetadata().getUid())
                      .withResourceVersion(resource.getMetadata().getResourceVersion())
                      .build())
              .withType(type)
              .withReason(reason.name())
              .withMessage(message)
              .withCount(1)
              .withFirstTimestamp(now)
              .withLastTimestamp(now)
              .withNewSource()
              .withComponent(COMPONENT)
              .endSource()
              .withReportingComponent(COMPONENT)
              .build();
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      // An event is best effort: never fail a reconcile for it.
      LOG.warn(
          "could not record event {} on {}/{}: {}",
          reason,
          namespace,
          resource.getMetadata().getName(),
          e.getMessage());
    }
  }

  private static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
