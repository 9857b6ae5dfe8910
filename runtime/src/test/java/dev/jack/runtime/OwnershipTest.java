package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The annotation that records what jack applied. */
class OwnershipTest {

  /**
   * Every process writes the same value for the same ownership: a value that depended on a set's
   * iteration order (which the JVM randomizes per process for {@code Set.of}) made every restart
   * rewrite the annotation of every Queue (make bench, restart pass: 250 metadata writes).
   */
  @Test
  void theSameOwnershipSerializesTheSameWhateverTheOrderItWasBuiltIn() {
    List<String> names =
        List.of(
            "visibilityTimeout",
            "queueName",
            "delaySeconds",
            "messageRetentionPeriod",
            "maximumMessageSize",
            "receiveMessageWaitTimeSeconds",
            "policy",
            "redrivePolicy");
    Ownership one =
        new Ownership(
            Set.copyOf(names),
            Set.of("team", "env", "cost-center"),
            Map.of("queueName", "22138ed0be7512ea", "policy", "0a1b"),
            Map.of("kmsMasterKeyRef", TextNode.valueOf("arn:aws:kms:k")),
            Map.of("policies", Set.of("b", "a", "c")));
    Set<String> reordered = new LinkedHashSet<>(names.subList(4, 8));
    reordered.addAll(names.subList(0, 4));
    Ownership other =
        new Ownership(
            reordered,
            Set.of("cost-center", "team", "env"),
            Map.of("policy", "0a1b", "queueName", "22138ed0be7512ea"),
            Map.of("kmsMasterKeyRef", TextNode.valueOf("arn:aws:kms:k")),
            Map.of("policies", Set.of("c", "a", "b")));
    assertThat(one.serialize()).isEqualTo(other.serialize());
    assertThat(one.serialize())
        .startsWith(
            "{\"fields\":[\"delaySeconds\",\"maximumMessageSize\",\"messageRetentionPeriod\","
                + "\"policy\",\"queueName\",\"receiveMessageWaitTimeSeconds\",\"redrivePolicy\","
                + "\"visibilityTimeout\"],\"tags\":[\"cost-center\",\"env\",\"team\"]");
    assertThat(Ownership.parse(one.serialize())).isEqualTo(one);
  }
}
