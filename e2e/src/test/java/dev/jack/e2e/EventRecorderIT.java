package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.runtime.EventRecorder;
import dev.jack.runtime.EventRecorder.Reason;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes Events jack records, against the real API server: what a user sees with {@code
 * kubectl describe} (one event per resource, reason and message, with its count and times), and
 * what each costs the API server (its own request counters).
 */
@JackIntegrationTest
class EventRecorderIT {

  private static final Pattern REQUESTS =
      Pattern.compile("^apiserver_request_total\\{([^}]*)\\} ([0-9.e+]+)$", Pattern.MULTILINE);

  /** The API server's requests on events so far, by verb. */
  private static Map<String, Double> eventRequests(KubernetesClient client) {
    Map<String, Double> byVerb = new TreeMap<>();
    Matcher m = REQUESTS.matcher(client.raw("/metrics"));
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("resource=\"events\"") && labels.contains("group=\"\"")) {
        Matcher verb = Pattern.compile("verb=\"([A-Z]+)\"").matcher(labels);
        if (verb.find()) {
          byVerb.merge(verb.group(1), Double.parseDouble(m.group(2)), Double::sum);
        }
      }
    }
    return byVerb;
  }

  private static Map<String, Double> since(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> delta = new TreeMap<>();
    after.forEach(
        (verb, n) -> {
          double d = n - before.getOrDefault(verb, 0.0);
          if (d > 0) {
            delta.put(verb, d);
          }
        });
    return delta;
  }

  private static List<Event> events(KubernetesClient client, TestNamespace ns, String reason) {
    return client.v1().events().inNamespace(ns.name()).list().getItems().stream()
        .filter(e -> e.getReason().equals(reason))
        .toList();
  }

  /** A resource to record events on. */
  private static ConfigMap subject(KubernetesClient client, TestNamespace ns, String name) {
    return client
        .configMaps()
        .inNamespace(ns.name())
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns.name())
                .endMetadata()
                .build())
        .create();
  }

  /** How long a test waits for the events it recorded to be sent. */
  private static final Duration SENT = Duration.ofSeconds(30);

  private static Clock at(String time) {
    return Clock.fixed(Instant.parse(time), ZoneOffset.UTC);
  }

  @Test
  void aRepeatCountsOnOneEventWithOneRequestEachAlsoAfterARestart(
      KubernetesClient client, TestNamespace ns) {
    ConfigMap subject = subject(client, ns, "subject");

    Map<String, Double> before = eventRequests(client);
    try (EventRecorder first = new EventRecorder(client, at("2026-12-05T10:00:00Z"))) {
      first.normal(subject, Reason.Created, "Created it");
      first.warning(subject, Reason.Recoverable, "Throttling: slow down");
      first.warning(subject, Reason.Recoverable, "Throttling: slow down");
    }
    try (EventRecorder restarted = new EventRecorder(client, at("2026-12-05T10:00:05Z"))) {
      restarted.warning(subject, Reason.Recoverable, "Throttling: slow down");
    }
    assertThat(since(before, eventRequests(client)))
        .as(
            "two new events are two creates; a repeat the recorder knows is one patch; one after a"
                + " restart meets the event it does not know (a refused create), reads it and"
                + " patches it")
        .isEqualTo(Map.of("POST", 3.0, "PATCH", 2.0, "GET", 1.0));

    assertThat(events(client, ns, "Created"))
        .singleElement()
        .satisfies(
            created -> {
              assertThat(created.getType()).isEqualTo("Normal");
              assertThat(created.getCount()).isEqualTo(1);
              assertThat(created.getMessage()).isEqualTo("Created it");
              assertThat(created.getInvolvedObject().getUid())
                  .isEqualTo(subject.getMetadata().getUid());
            });
    assertThat(events(client, ns, "Recoverable"))
        .singleElement()
        .satisfies(
            throttled -> {
              assertThat(throttled.getType()).isEqualTo("Warning");
              assertThat(throttled.getCount()).isEqualTo(3);
              assertThat(throttled.getFirstTimestamp()).isEqualTo("2026-12-05T10:00:00Z");
              assertThat(throttled.getLastTimestamp()).isEqualTo("2026-12-05T10:00:05Z");
            });
  }

  @Test
  void anEventTheApiServerExpiredIsRecordedAnew(KubernetesClient client, TestNamespace ns) {
    ConfigMap subject = subject(client, ns, "expiring");
    try (EventRecorder recorder = new EventRecorder(client, at("2026-12-05T10:00:00Z"))) {
      recorder.warning(subject, Reason.Recoverable, "AccessDenied");
      recorder.warning(subject, Reason.Recoverable, "AccessDenied");
      assertThat(sentCount(recorder, client, ns)).isEqualTo(2);

      // What the API server does an hour after an event's last change.
      client.v1().events().inNamespace(ns.name()).delete();
      recorder.warning(subject, Reason.Recoverable, "AccessDenied");
      assertThat(sentCount(recorder, client, ns)).isEqualTo(1);
    }
  }

  /** The count of the one Recoverable event, once the recorder has sent what it was given. */
  private static int sentCount(EventRecorder recorder, KubernetesClient client, TestNamespace ns) {
    assertThat(recorder.flush(SENT)).as("the events sent").isTrue();
    return assertThat(events(client, ns, "Recoverable")).singleElement().actual().getCount();
  }

  /**
   * A reconcile records its events and goes on: while the API server cannot store anything (etcd
   * stalled), recording returns at once, and the events are stored, in order, once it can.
   */
  @Test
  void recordingAnEventDoesNotWaitForTheApiServer(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns) throws Exception {
    ConfigMap subject = subject(client, ns, "stalled");
    Duration stall = Duration.ofSeconds(4);
    try (EventRecorder recorder = new EventRecorder(client, Clock.systemUTC())) {
      // The recorder's thread has sent an event, so the stall meets the next one in flight.
      recorder.normal(subject, Reason.Created, "before the stall");
      assertThat(recorder.flush(SENT)).isTrue();
      Thread stalling = new Thread(() -> kube.stallEtcd(stall));
      stalling.start();
      // Time for the freeze to take hold. Should it not, the events are sent at once and the
      // flush below, which asserts that they are still waiting, fails.
      Thread.sleep(200);
      long start = System.nanoTime();
      recorder.warning(subject, Reason.Recoverable, "during the stall, once");
      recorder.warning(subject, Reason.Recoverable, "during the stall, twice");
      Duration recording = Duration.ofNanos(System.nanoTime() - start);
      assertThat(recorder.flush(Duration.ofMillis(500)))
          .as("the events are still waiting for the stalled API server")
          .isFalse();
      assertThat(recording)
          .as("recording two events while etcd is stalled for %s", stall)
          .isLessThan(Duration.ofSeconds(1));
      stalling.join();
      assertThat(recorder.flush(SENT)).as("the events sent after the stall").isTrue();
    }
    assertThat(events(client, ns, "Recoverable"))
        .extracting(Event::getMessage)
        .containsExactlyInAnyOrder("during the stall, once", "during the stall, twice");
  }
}
