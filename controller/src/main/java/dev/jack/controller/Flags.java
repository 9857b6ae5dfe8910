package dev.jack.controller;

import dev.jack.runtime.ControllerSettings;
import dev.jack.runtime.DeletionPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The controller's command line, with ACK's flag names ({@code --flag=value} or {@code --flag
 * value}). Unknown flags and bad values stop the controller with a message that names them.
 */
public record Flags(
    ControllerSettings settings,
    Set<String> services,
    String metricsAddress,
    String healthAddress,
    boolean leaderElection,
    String leaderElectionNamespace,
    String logLevel) {

  static final String USAGE =
      """
      Usage: jack-controller [flags]
        --services s3,sqs                           services to run (default: all in this build)
        --aws-region REGION                         default region of resources (required)
        --aws-endpoint-url URL                      another AWS endpoint, such as an emulator
        --watch-namespace NS[,NS]                   namespaces to watch (default: all)
        --reconcile-default-resync-seconds N        drift check period (default: 36000)
        --reconcile-resource-resync-seconds K=N,..  per kind drift check period
        --reconcile-default-max-concurrent-syncs N  parallel reconciles (default: 1)
        --deletion-policy delete|retain             default deletion policy (default: delete)
        --metrics-addr HOST:PORT                    /metrics (default: :8080)
        --healthz-addr HOST:PORT                    /healthz and /readyz (default: :8081)
        --enable-leader-election                    run one active replica
        --leader-election-namespace NS              where the replicas' Lease lives
                                                    (default: $POD_NAMESPACE)
        --log-level debug|info|warn|error           (default: info)
      """;

  private static final Set<String> BOOLEAN_FLAGS =
      Set.of("enable-leader-election", "enable-carm", "help");

  public static Flags parse(List<String> args, String version) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + USAGE);
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (BOOLEAN_FLAGS.contains(name)) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value\n" + USAGE);
      }
      values.put(name, value);
    }
    if (values.containsKey("help")) {
      throw new IllegalArgumentException(USAGE);
    }
    String region = take(values, "aws-region", System.getenv("AWS_REGION"));
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("--aws-region is required (or AWS_REGION)\n" + USAGE);
    }
    String endpoint = take(values, "aws-endpoint-url", null);
    Set<String> namespaces = csv(take(values, "watch-namespace", ""));
    Duration resync =
        Duration.ofSeconds(positive(values, "reconcile-default-resync-seconds", 36000));
    Map<String, Duration> perKind = new LinkedHashMap<>();
    for (String pair : csv(take(values, "reconcile-resource-resync-seconds", ""))) {
      String[] kv = pair.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException(
            "--reconcile-resource-resync-seconds takes Kind=seconds pairs, not '" + pair + "'");
      }
      perKind.put(
          kv[0].trim(), Duration.ofSeconds(parseLong("reconcile-resource-resync-seconds", kv[1])));
    }
    int concurrency = (int) positive(values, "reconcile-default-max-concurrent-syncs", 1);
    DeletionPolicy deletion;
    try {
      deletion =
          DeletionPolicy.parse(take(values, "deletion-policy", "delete"), "--deletion-policy");
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Set<String> services = csv(take(values, "services", ""));
    String metrics = take(values, "metrics-addr", ":8080");
    String health = take(values, "healthz-addr", ":8081");
    boolean leader = Boolean.parseBoolean(take(values, "enable-leader-election", "false"));
    String leaseNamespace =
        take(values, "leader-election-namespace", System.getenv("POD_NAMESPACE"));
    if (leader && (leaseNamespace == null || leaseNamespace.isBlank())) {
      throw new IllegalArgumentException(
          "--enable-leader-election needs --leader-election-namespace (or POD_NAMESPACE)");
    }
    take(values, "enable-carm", "false");
    String logLevel = take(values, "log-level", "info");
    if (!values.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown flag --" + values.keySet().iterator().next() + "\n" + USAGE);
    }
    ControllerSettings settings =
        new ControllerSettings(
            region,
            endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
            namespaces,
            resync,
            perKind,
            concurrency,
            deletion,
            version);
    return new Flags(
        settings, services, metrics, health, leader, leader ? leaseNamespace : null, logLevel);
  }

  private static String take(Map<String, String> values, String name, String fallback) {
    String value = values.remove(name);
    return value != null ? value : fallback;
  }

  private static long positive(Map<String, String> values, String name, long fallback) {
    String value = take(values, name, null);
    if (value == null) {
      return fallback;
    }
    long parsed = parseLong(name, value);
    if (parsed <= 0) {
      throw new IllegalArgumentException("--" + name + " must be positive, not " + value);
    }
    return parsed;
  }

  private static long parseLong(String name, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, not '" + value + "'", e);
    }
  }

  private static Set<String> csv(String value) {
    Set<String> items = new LinkedHashSet<>();
    Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(items::add);
    return items;
  }
}
