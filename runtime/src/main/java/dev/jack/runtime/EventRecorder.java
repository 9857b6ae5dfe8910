package dev.jack.runtime;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on resources: one for every AWS create, update and delete and for every
 * error. A repeated event (same resource, reason and message) increments its count instead of
 * adding another. A new event is one request to the API server (a create), and a repeat one more (a
 * patch of its count): the recorder remembers the counts of the events it recorded lately, and
 * reads an event only when the API server says it exists and the recorder did not know it.
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

  /** How many recent events' counts the recorder remembers. */
  private static final int REMEMBERED = 1024;

  private final KubernetesClient client;
  private final Clock clock;

  /** The counts of the events recorded lately, by name, the least recently used forgotten first. */
  private final Map<String, Integer> counts =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
              return size() > REMEMBERED;
            }
          });

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
      Integer count = counts.get(name);
      if (count != null && repeat(namespace, name, count + 1, now)) {
        return;
      }
      try {
        client
            .v1()
            .events()
            .inNamespace(namespace)
            .resource(event(resource, name, type, reason, message, now))
            .create();
        counts.put(name, 1);
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        // Recorded before this process knew of it (a previous process, or forgotten since).
        Event existing = client.v1().events().inNamespace(namespace).withName(name).get();
        if (existing != null) {
          repeat(namespace, name, existing.getCount() == null ? 2 : existing.getCount() + 1, now);
        }
      }
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

  /**
   * Counts one more occurrence of a recorded event, in one patch; false when the event is gone (the
   * API server expires events, an hour after their last change by default).
   */
  private boolean repeat(String namespace, String name, int count, String now) {
    try {
      // On the event by name: given no object, the client would read it first.
      Event named =
          new EventBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(namespace)
              .endMetadata()
              .build();
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(named)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
      counts.put(name, count);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      counts.remove(name);
      return false;
    }
  }

  private static Event event(
      HasMetadata resource, String name, String type, Reason reason, String message, String now) {
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(resource.getMetadata().getNamespace())
        .endMetadata()
        .withInvolvedObject(
            new ObjectReferenceBuilder()
                .withApiVersion(resource.getApiVersion())
                .withKind(resource.getKind())
                .withName(resource.getMetadata().getName())
                .withNamespace(resource.getMetadata().getNamespace())
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
