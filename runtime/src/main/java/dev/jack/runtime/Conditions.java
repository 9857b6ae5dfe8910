package dev.jack.runtime;

import dev.jack.api.AckCondition;
import dev.jack.api.AckStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sets and reads ACK's conditions on a status; the transition time moves only on a change. */
public final class Conditions {

  private final Clock clock;

  public Conditions(Clock clock) {
    this.clock = clock;
  }

  public void set(AckStatus status, String type, boolean value, String reason, String message) {
    List<AckCondition> conditions = status.getConditions();
    if (conditions == null) {
      conditions = new ArrayList<>();
      status.setConditions(conditions);
    }
    String text = value ? "True" : "False";
    AckCondition condition = find(status, type).orElse(null);
    if (condition == null) {
      condition = new AckCondition();
      condition.setType(type);
      conditions.add(condition);
    }
    if (!text.equals(condition.getStatus())) {
      condition.setLastTransitionTime(
          Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    }
    condition.setStatus(text);
    condition.setReason(reason);
    condition.setMessage(message);
  }

  public void remove(AckStatus status, String type) {
    if (status.getConditions() != null) {
      status.getConditions().removeIf(c -> type.equals(c.getType()));
    }
  }

  /** When the condition took the given value, if it has it now. */
  public Optional<Instant> since(AckStatus status, String type, boolean value) {
    return find(status, type)
        .filter(c -> (value ? "True" : "False").equals(c.getStatus()))
        .map(AckCondition::getLastTransitionTime)
        .filter(t -> t != null && !t.isBlank())
        .map(Instant::parse);
  }

  /** Marks every condition as computed for {@code generation}, the resource's generation now. */
  public static void stamp(AckStatus status, Long generation) {
    if (status.getConditions() != null) {
      status.getConditions().forEach(c -> c.setObservedGeneration(generation));
    }
  }

  /**
   * How long to wait before looking again at a resource that waits (for AWS, or for another
   * resource): soon at first, then less often, so that a long wait never polls hot.
   */
  public java.time.Duration waitingPeriod(AckStatus status) {
    java.time.Duration waited =
        since(status, AckCondition.RESOURCE_SYNCED, false)
            .map(t -> java.time.Duration.between(t, Instant.now(clock)))
            .orElse(java.time.Duration.ZERO);
    if (waited.compareTo(java.time.Duration.ofSeconds(30)) < 0) {
      return java.time.Duration.ofSeconds(3);
    }
    if (waited.compareTo(java.time.Duration.ofMinutes(5)) < 0) {
      return java.time.Duration.ofSeconds(15);
    }
    return java.time.Duration.ofSeconds(60);
  }

  private static Optional<AckCondition> find(AckStatus status, String type) {
    if (status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
