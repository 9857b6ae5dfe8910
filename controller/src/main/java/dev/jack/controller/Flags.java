package dev.jack.controller;

import dev.jack.runtime.ControllerSettings;
import dev.jack.runtime.DeletionPolicy;
import dev.jack.runtime.FeatureGates;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The controller's command line, with ACK's flag names ({@code --flag=value} or {@code --flag
 * value}), parsed by picocli. Unknown flags and bad values stop the controller with a message that
 * names them, followed by the usage.
 */
public record Flags(
    ControllerSettings settings,
    Set<String> services,
    String metricsAddress,
    String healthAddress,
    boolean leaderElection,
    String leaderElectionNamespace,
    String logLevel) {

  /** The log levels {@code --log-level} takes. */
  enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  @Command(
      name = "jack-controller",
      sortOptions = false,
      usageHelpAutoWidth = true,
      description = "Runs jack's controllers of the selected AWS services in one process.")
  static final class Options {

    @Option(
        names = "--services",
        split = ",",
        paramLabel = "SERVICE",
        description = "Services to run, comma separated or repeated (default: all in this build).")
    List<String> services = new ArrayList<>();

    @Option(
        names = "--aws-region",
        paramLabel = "REGION",
        description = "Region of resources that name none (default: $AWS_REGION).")
    String region = System.getenv("AWS_REGION");

    @Option(
        names = "--aws-endpoint-url",
        paramLabel = "URL",
        description = "Another AWS endpoint, such as an emulator.")
    String endpoint;

    @Option(
        names = "--watch-namespace",
        split = ",",
        paramLabel = "NS",
        description = "Namespaces to watch, comma separated or repeated (default: all).")
    List<String> namespaces = new ArrayList<>();

    @Option(
        names = "--reconcile-default-resync-seconds",
        paramLabel = "N",
        description =
            "How often a synced resource is compared with AWS (default: ${DEFAULT-VALUE}).")
    long resyncSeconds = 36000;

    @Option(
        names = "--reconcile-resource-resync-seconds",
        split = ",",
        paramLabel = "KIND=N",
        description = "A kind's own drift check period; comma separated or repeated.")
    Map<String, Long> resyncSecondsByKind = new LinkedHashMap<>();

    @Option(
        names = "--reconcile-default-max-concurrent-syncs",
        paramLabel = "N",
        description = "Reconciles in parallel (default: ${DEFAULT-VALUE}).")
    int concurrency = 1;

    @Option(
        names = "--deletion-policy",
        paramLabel = "delete|retain",
        description = "Whether deleting a resource deletes it in AWS (default: ${DEFAULT-VALUE}).")
    String deletionPolicy = "delete";

    @Option(
        names = "--metrics-addr",
        paramLabel = "HOST:PORT",
        description = "Where /metrics is served (default: ${DEFAULT-VALUE}).")
    String metricsAddress = ":8080";

    @Option(
        names = "--healthz-addr",
        paramLabel = "HOST:PORT",
        description = "Where /healthz and /readyz are served (default: ${DEFAULT-VALUE}).")
    String healthAddress = ":8081";

    @Option(
        names = "--enable-leader-election",
        arity = "0..1",
        paramLabel = "BOOL",
        description = "Run one active replica, through a Lease.")
    boolean leaderElection;

    @Option(
        names = "--leader-election-namespace",
        paramLabel = "NS",
        description = "Where the replicas' Lease lives (default: $POD_NAMESPACE).")
    String leaseNamespace = System.getenv("POD_NAMESPACE");

    @Option(
        names = "--enable-carm",
        arity = "0..1",
        paramLabel = "BOOL",
        description = "ACK's cross-account resource management (accepted; not implemented yet).")
    boolean carm;

    @Option(
        names = "--log-level",
        paramLabel = "LEVEL",
        description = "One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LogLevel logLevel = LogLevel.INFO;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help.")
    boolean help;
  }

  /** Whether the command line asks for the usage ({@code -h}, {@code --help}). */
  static boolean isHelp(List<String> args) {
    Options options = new Options();
    try {
      commandLine(options).parseArgs(args.toArray(String[]::new));
    } catch (ParameterException e) {
      return false;
    }
    return options.help;
  }

  /** The usage message, as {@code --help} prints it. */
  static String usage() {
    return commandLine(new Options()).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  /**
   * Parses the command line.
   *
   * @throws IllegalArgumentException with a message that names the flag and the usage, for a bad
   *     flag or value
   */
  public static Flags parse(List<String> args, String version) {
    Options options = new Options();
    CommandLine line = commandLine(options);
    try {
      line.parseArgs(args.toArray(String[]::new));
    } catch (ParameterException e) {
      throw new IllegalArgumentException(e.getMessage() + "\n\n" + usage(), e);
    }
    try {
      return of(options, version);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + "\n\n" + usage(), e);
    }
  }

  private static CommandLine commandLine(Options options) {
    return new CommandLine(options)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setUsageHelpWidth(100);
  }

  private static Flags of(Options options, String version) {
    if (options.region == null || options.region.isBlank()) {
      throw new IllegalArgumentException("--aws-region is required (or AWS_REGION)");
    }
    positive("--reconcile-default-resync-seconds", options.resyncSeconds);
    positive("--reconcile-default-max-concurrent-syncs", options.concurrency);
    Map<String, Duration> perKind = new LinkedHashMap<>();
    options.resyncSecondsByKind.forEach(
        (kind, seconds) -> {
          positive("--reconcile-resource-resync-seconds " + kind, seconds);
          perKind.put(kind.trim(), Duration.ofSeconds(seconds));
        });
    DeletionPolicy deletion;
    try {
      deletion = DeletionPolicy.parse(options.deletionPolicy, "--deletion-policy");
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (options.leaderElection
        && (options.leaseNamespace == null || options.leaseNamespace.isBlank())) {
      throw new IllegalArgumentException(
          "--enable-leader-election needs --leader-election-namespace (or POD_NAMESPACE)");
    }
    URI endpoint;
    try {
      endpoint =
          options.endpoint == null || options.endpoint.isBlank()
              ? null
              : URI.create(options.endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--aws-endpoint-url must be a URL, not '" + options.endpoint + "'", e);
    }
    ControllerSettings settings =
        new ControllerSettings(
            options.region,
            endpoint,
            trimmed(options.namespaces),
            Duration.ofSeconds(options.resyncSeconds),
            perKind,
            options.concurrency,
            deletion,
            version,
            FeatureGates.defaults());
    return new Flags(
        settings,
        trimmed(options.services),
        options.metricsAddress,
        options.healthAddress,
        options.leaderElection,
        options.leaderElection ? options.leaseNamespace : null,
        options.logLevel.name().toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * Checks {@code --reconcile-resource-resync-seconds} against the kinds the selected services
   * have: a kind that none has is a mistake to report at start-up, not a setting to ignore.
   */
  void checkKinds(Set<String> kinds) {
    for (String kind : settings.resyncPeriods().keySet()) {
      if (!kinds.contains(kind)) {
        throw new IllegalArgumentException(
            "--reconcile-resource-resync-seconds: no kind '"
                + kind
                + "' in the selected services; they have "
                + new java.util.TreeSet<>(kinds)
                + "\n\n"
                + usage());
      }
    }
  }

  private static void positive(String flag, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(flag + " must be positive, not " + value);
    }
  }

  private static Set<String> trimmed(List<String> values) {
    Set<String> items = new LinkedHashSet<>();
    values.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(items::add);
    return items;
  }
}
