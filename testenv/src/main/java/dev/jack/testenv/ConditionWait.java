package dev.jack.testenv;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Waits for a status condition on any resource and, when it does not come, fails with what a person
 * debugging the test needs: the resource's status and the events about it.
 */
public final class ConditionWait {

  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

  private final KubernetesClient client;

  public ConditionWait(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Returns the resource once {@code status.conditions[type=conditionType].status} equals {@code
   * expectedStatus}; throws an {@link AssertionError} after {@code timeout}.
   */
  public GenericKubernetesResource until(
      String apiVersion,
      String kind,
      String namespace,
      String name,
      String conditionType,
      String expectedStatus,
      Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    GenericKubernetesResource last = null;
    while (Instant.now().isBefore(deadline)) {
      last =
          client
              .genericKubernetesResources(apiVersion, kind)
              .inNamespace(namespace)
              .withName(name)
              .get();
      if (last != null && expectedStatus.equals(conditionStatus(last, conditionType))) {
        return last;
      }
      ManagedProcess.sleep(POLL_INTERVAL);
    }
    throw new AssertionError(
        "%s %s/%s did not reach condition %s=%s within %ss.%n%s%n%s"
            .formatted(
                kind,
                namespace,
                name,
                conditionType,
                expectedStatus,
                timeout.toSeconds(),
                describeStatus(last),
                describeEvents(namespace, kind, name)));
  }

  /** The status of condition {@code type}, or null when the resource has no such condition. */
  @SuppressWarnings("unchecked")
  public static String conditionStatus(GenericKubernetesResource resource, String type) {
    Object status = resource.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> statusMap)
        || !(statusMap.get("conditions") instanceof List<?> conditions)) {
      return null;
    }
    for (Object condition : conditions) {
      Map<String, Object> c = (Map<String, Object>) condition;
      if (type.equals(c.get("type"))) {
        return Objects.toString(c.get("status"), null);
      }
    }
    return null;
  }

  private static String describeStatus(GenericKubernetesResource resource) {
    if (resource == null) {
      return "The resource does not exist.";
    }
    Object status = resource.getAdditionalProperties().get("status");
    return "Its status:\n" + (status == null ? "(none)" : Serialization.asYaml(status));
  }

  private String describeEvents(String namespace, String kind, String name) {
    List<Event> events =
        client
            .v1()
            .events()
            .inNamespace(namespace)
            .withField("involvedObject.name", name)
            .list()
            .getItems()
            .stream()
            .filter(e -> kind.equals(e.getInvolvedObject().getKind()))
            .sorted(Comparator.comparing(e -> Objects.toString(e.getLastTimestamp(), "")))
            .toList();
    if (events.isEmpty()) {
      return "No events about it.";
    }
    return "Events about it:\n"
        + events.stream()
            .map(e -> "  " + e.getType() + " " + e.getReason() + ": " + e.getMessage())
            .collect(Collectors.joining("\n"));
  }
}
