package dev.jack.runtime;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * ACK's feature gates ({@code --feature-gates Name=true,Other=false}), with ACK's defaults: the
 * beta features on, the alpha ones off.
 */
public final class FeatureGates {

  /** The gates ACK's controllers know; jack accepts them all, so ACK's arguments start jack. */
  public enum Gate {
    /** {@code services.k8s.aws/adoption-policy}: adopt resources that exist in AWS. Beta. */
    ResourceAdoption(true),
    /** {@code services.k8s.aws/read-only}: observe resources, never write them. Beta. */
    ReadOnlyResources(true),
    /** CARM by team ({@code services.k8s.aws/team-id}). Alpha. */
    TeamLevelCARM(false),
    /** CARM keys per service. Alpha. */
    ServiceLevelCARM(false),
    /** The cluster-scoped IAMRoleSelector. Alpha. */
    IAMRoleSelector(false),
    /** Adoption by tag filters. Alpha. */
    AdoptResourcesByTags(false);

    private final boolean enabledByDefault;

    Gate(boolean enabledByDefault) {
      this.enabledByDefault = enabledByDefault;
    }
  }

  private final Map<Gate, Boolean> enabled;

  private FeatureGates(Map<Gate, Boolean> enabled) {
    this.enabled = enabled;
  }

  public static FeatureGates defaults() {
    Map<Gate, Boolean> enabled = new EnumMap<>(Gate.class);
    for (Gate gate : Gate.values()) {
      enabled.put(gate, gate.enabledByDefault);
    }
    return new FeatureGates(enabled);
  }

  /**
   * Parses ACK's form, {@code Name=true,Other=false}; names match case-insensitively.
   *
   * @throws IllegalArgumentException naming the gate or value that is wrong
   */
  public static FeatureGates parse(String value) {
    FeatureGates gates = defaults();
    if (value == null || value.isBlank()) {
      return gates;
    }
    for (String item : value.split(",")) {
      String entry = item.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int equals = entry.indexOf('=');
      if (equals < 0) {
        throw new IllegalArgumentException(
            "--feature-gates: '" + entry + "' must be Name=true or Name=false");
      }
      Gate gate = gate(entry.substring(0, equals).trim());
      String flag = entry.substring(equals + 1).trim().toLowerCase(Locale.ROOT);
      if (!flag.equals("true") && !flag.equals("false")) {
        throw new IllegalArgumentException(
            "--feature-gates: " + gate + " must be true or false, not '" + flag + "'");
      }
      gates.enabled.put(gate, flag.equals("true"));
    }
    return gates;
  }

  private static Gate gate(String name) {
    for (Gate gate : Gate.values()) {
      if (gate.name().equalsIgnoreCase(name)) {
        return gate;
      }
    }
    throw new IllegalArgumentException(
        "--feature-gates: unknown feature gate '"
            + name
            + "'; known: "
            + java.util.Arrays.toString(Gate.values()));
  }

  public boolean enabled(Gate gate) {
    return enabled.get(gate);
  }

  @Override
  public String toString() {
    return enabled.toString();
  }
}
