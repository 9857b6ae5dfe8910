package dev.jack.runtime;

import dev.jack.api.AckCondition;
import dev.jack.api.AckStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gauge {@code jack_resources{kind, namespace, state}}: how many resources are in each state,
 * so that a dashboard shows what is not synced. One series per kind, namespace and state, not per
 * resource, to keep the label cardinality at what a Prometheus server takes well.
 */
public final class ResourceStates {

  /** What a resource's conditions say, most pressing first. */
  public enum State {
    PAUSED,
    TERMINAL,
    RECOVERABLE,
    SYNCED,
    WAITING;

    static State of(AckStatus status) {
      if (is(status, AwsResourceReconciler.PAUSED_CONDITION)) {
        return PAUSED;
      }
      if (is(status, AckCondition.TERMINAL)) {
        return TERMINAL;
      }
      if (is(status, AckCondition.RECOVERABLE)) {
        return RECOVERABLE;
      }
      return is(status, AckCondition.RESOURCE_SYNCED) ? SYNCED : WAITING;
    }

    private static boolean is(AckStatus status, String type) {
      return status.getConditions() != null
          && status.getConditions().stream()
              .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }
  }

  private record Series(String kind, String namespace, State state) {}

  private final MeterRegistry registry;
  private final Map<String, Series> resources = new ConcurrentHashMap<>();
  private final Set<Series> registered = ConcurrentHashMap.newKeySet();

  public ResourceStates(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The resource's state now, from its conditions. */
  public void record(String kind, String namespace, String name, AckStatus status) {
    Series series = new Series(kind, namespace, State.of(status));
    resources.put(kind + "/" + namespace + "/" + name, series);
    if (registered.add(series)) {
      Gauge.builder("jack_resources", resources, all -> count(all, series))
          .description("Resources by kind, namespace and the state their conditions say.")
          .tag("kind", kind)
          .tag("namespace", namespace)
          .tag("state", series.state().name().toLowerCase(java.util.Locale.ROOT))
          .register(registry);
    }
  }

  /** The resource is gone. */
  public void forget(String kind, String namespace, String name) {
    resources.remove(kind + "/" + namespace + "/" + name);
  }

  private static double count(Map<String, Series> all, Series series) {
    return all.values().stream().filter(series::equals).count();
  }
}
