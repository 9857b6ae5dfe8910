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

  /** The shortest and the longest wait of {@link #failureBackoff}. */
  static final java.time.Duration FIRST_RETRY = java.time.Duration.ofSeconds(1);

  static final java.time.Duration LONGEST_RETRY = java.time.Duration.ofMinutes(5);

  /**
   * How long to wait before trying again a resource whose attempts fail (ACK.Recoverable): about as
   * long as it has been failing, so the wait doubles from 1 s to 5 min, plus up to half again at
   * random, so that a fleet that failed at once (an outage) does not come back at once.
   *
   * <p>It is read from the condition's transition time, not counted per attempt: a restart or a
   * leader change neither resets it nor makes it grow.
   */
  public java.time.Duration failureBackoff(AckStatus status) {
    java.time.Duration failing =
        since(status, AckCondition.RECOVERABLE, true)
            .map(t -> java.time.Duration.between(t, Instant.now(clock)))
            .orElse(java.time.Duration.ZERO);
    java.time.Duration base =
        failing.compareTo(FIRST_RETRY) < 0
            ? FIRST_RETRY
            : failing.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : failing;
    long jitter =
        java.util.concurrent.ThreadLocalRandom.current().nextLong(base.toMillis() / 2 + 1);
    return base.plusMillis(jitter);
  }

  private static Optional<AckCondition> find(AckStatus status, String type) {
    if (status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
