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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on resources: one for every AWS create, update and delete and for every
 * error. A repeated event (same resource, reason and message) increments its count instead of
 * adding another. A new event is one request to the API server (a create), and a repeat one more (a
 * patch of its count): the recorder remembers the counts of the events it recorded lately, and
 * reads an event only when the API server says it exists and the recorder did not know it.
 *
 * <p>An event is best effort, and is sent by the recorder's own thread, in the order recorded: a
 * reconcile never waits for the API server to take its events (as client-go's recorder, a slow API
 * server delays the events, not the reconciles). Beyond {@link #QUEUED} events waiting, a new one
 * is dropped, with a warning.
 */
public final class EventRecorder implements AutoCloseable {

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

  /** How many events may wait for the API server before a new one is dropped (client-go's 1000). */
  private static final int QUEUED = 1000;

  /** How long {@link #close} waits for the events still to be sent. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final Clock clock;

  /** Sends the events, one at a time; its thread ends when idle and starts with the next one. */
  private final ThreadPoolExecutor sender;

  private final AtomicLong dropped = new AtomicLong();

  /**
   * The counts of the events recorded lately, by name, the least recently used forgotten first.
   * Only the sender's thread uses it.
   */
  private final Map<String, Integer> counts =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
          return size() > REMEMBERED;
        }
      };

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.sender =
        ThreadPools.pool(
            "events", 1, Duration.ofSeconds(1), true, new ArrayBlockingQueue<>(QUEUED));
  }

  public void normal(HasMetadata resource, Reason reason, String message) {
    record(resource, "Normal", reason, message);
  }

  public void warning(HasMetadata resource, Reason reason, String message) {
    record(resource, "Warning", reason, message);
  }

  /**
   * Waits until the events recorded so far have been sent (or given up), for at most {@code
   * timeout}; false when some are still waiting.
   */
  public boolean flush(Duration timeout) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    try {
      sender.execute(() -> sent.complete(null));
      sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (RejectedExecutionException | TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Sends the events still waiting, for up to {@link #CLOSE_GRACE}, and records no more. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      if (!sender.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "{} events not sent: the API server did not take them in time",
            sender.getQueue().size());
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sender.shutdownNow();
    }
  }

  private void record(HasMetadata resource, String type, Reason reason, String message) {
    // What the event says is taken now: the resource goes on changing while the event waits.
    String subject = resource.getMetadata().getName();
    String name = subject + "." + digest(resource.getMetadata().getUid() + reason + message);
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    Event event = event(resource, name, type, reason, message, now);
    try {
      sender.execute(() -> send(event, subject, reason));
    } catch (RejectedExecutionException e) {
      long n = dropped.incrementAndGet();
      if (sender.isShutdown()) {
        LOG.debug("event {} on {} not recorded: the recorder is closed", reason, subject);
      } else if (Long.bitCount(n) == 1) {
        // The first, second, fourth... drop: the API server takes events slower than reconciles
        // record them, and a warning for each would add to the load.
        LOG.warn(
            "dropped {} events so far: {} are waiting for the API server",
            n,
            sender.getQueue().size());
      }
    }
  }

  private void send(Event event, String subject, Reason reason) {
    String namespace = event.getMetadata().getNamespace();
    String name = event.getMetadata().getName();
    String now = event.getLastTimestamp();
    try {
      Integer count = counts.get(name);
      if (count != null && repeat(namespace, name, count + 1, now)) {
        return;
      }
      try {
        client.v1().events().inNamespace(namespace).resource(event).create();
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
    } catch (RuntimeException e) {
      // An event is best effort: a failed one is logged, and the next is sent.
      LOG.warn(
          "could not record event {} on {}/{}: {}", reason, namespace, subject, e.getMessage());
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
