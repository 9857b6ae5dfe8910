package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.api.AckCondition;
import dev.jack.api.AckStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final Instant FIRST_FAILURE = Instant.parse("2026-12-02T10:00:00Z");

  private static Conditions at(Instant now) {
    return new Conditions(Clock.fixed(now, ZoneOffset.UTC));
  }

  private static AckStatus failingSince(Instant since) {
    AckStatus status = new AckStatus() {};
    at(since).set(status, AckCondition.RECOVERABLE, true, "Throttling", "slow down");
    return status;
  }

  @Test
  void aFirstFailureIsRetriedInAboutASecond() {
    Duration wait = at(FIRST_FAILURE).failureBackoff(new AckStatus() {});
    assertThat(wait).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1500));
  }

  @Test
  void theWaitIsAboutAsLongAsTheResourceHasBeenFailing() {
    AckStatus status = failingSince(FIRST_FAILURE);
    for (int seconds : new int[] {2, 8, 64}) {
      Duration wait = at(FIRST_FAILURE.plusSeconds(seconds)).failureBackoff(status);
      assertThat(wait)
          .as("failing for %d s", seconds)
          .isBetween(Duration.ofSeconds(seconds), Duration.ofMillis(seconds * 1500L));
    }
  }

  @Test
  void theWaitNeverExceedsFiveMinutesAndAHalf() {
    AckStatus status = failingSince(FIRST_FAILURE);
    Duration wait = at(FIRST_FAILURE.plus(Duration.ofHours(6))).failureBackoff(status);
    assertThat(wait).isBetween(Duration.ofMinutes(5), Duration.ofSeconds(450));
  }

  @Test
  void anotherFailureOfAFailingResourceKeepsItsStartSoTheWaitGoesOnGrowing() {
    AckStatus status = failingSince(FIRST_FAILURE);
    at(FIRST_FAILURE.plusSeconds(30))
        .set(status, AckCondition.RECOVERABLE, true, "ServiceUnavailable", "try later");
    Duration wait = at(FIRST_FAILURE.plusSeconds(40)).failureBackoff(status);
    assertThat(wait).isGreaterThanOrEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void aResourceThatRecoveredStartsAgainFromASecond() {
    AckStatus status = failingSince(FIRST_FAILURE);
    at(FIRST_FAILURE.plusSeconds(100)).remove(status, AckCondition.RECOVERABLE);
    Duration wait = at(FIRST_FAILURE.plusSeconds(200)).failureBackoff(status);
    assertThat(wait).isLessThan(Duration.ofMillis(1501));
  }
}
