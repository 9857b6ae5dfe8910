package dev.jack.controller;

import dev.jack.runtime.ControllerSettings;
import dev.jack.runtime.DeletionPolicy;
import dev.jack.runtime.FeatureGates;
import dev.jack.runtime.ResourceTags;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The controller's command line, with ACK's flag names ({@code --flag=value} or {@code --flag
 * value}), parsed by picocli. Every argument ACK's Helm chart passes is understood, and an empty
 * value (the chart passes {@code "$(ENV)"} for unset settings) means the default. Unknown flags and
 * bad values stop the controller with a message that names them, followed by the usage.
 */
public record Flags(
    ControllerSettings settings,
    Set<String> services,
    String metricsAddress,
    String healthAddress,
    boolean leaderElection,
    String leaderElectionNamespace,
    String logLevel,
    boolean jsonLogs) {

  /** The log levels {@code --log-level} takes; ACK's dpanic, panic and fatal are error here. */
  private static final List<String> LOG_LEVELS =
      List.of("trace", "debug", "info", "warn", "error", "dpanic", "panic", "fatal");

  /** A Go duration, as ACK's {@code --http-client-timeout} takes: {@code 60s}, {@code 1m30s}. */
  private static final Pattern GO_DURATION_PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|\\u00b5s|\\u03bcs|ms|s|m|h)");

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
    String region;

    @Option(
        names = "--aws-endpoint-url",
        paramLabel = "URL",
        description = "Another AWS endpoint, such as an emulator.")
    String endpoint;

    @Option(
        names = "--aws-identity-endpoint-url",
        paramLabel = "URL",
        description =
            "The STS endpoint jack learns its account from (default: --aws-endpoint-url, else"
                + " AWS's). Other than an https amazonaws.com URL it needs"
                + " --allow-unsafe-aws-endpoint-urls.")
    String identityEndpoint;

    @Option(
        names = "--allow-unsafe-aws-endpoint-urls",
        arity = "0..1",
        paramLabel = "BOOL",
        description = "Allow an --aws-identity-endpoint-url that is not an https AWS URL.")
    boolean allowUnsafeEndpoints;

    @Option(
        names = "--aws-endpoint-use-path-style",
        arity = "0..1",
        paramLabel = "BOOL",
        description =
            "S3 path-style addressing (default: on exactly when --aws-endpoint-url is set).")
    Boolean pathStyle;

    @Option(
        names = "--http-client-timeout",
        paramLabel = "DURATION",
        description = "The longest one AWS call may take, such as 60s or 1m30s (default: 60s).")
    String httpClientTimeout;

    @Option(
        names = "--resource-tags",
        paramLabel = "KEY=VALUE,...",
        description =
            "Tags added to everything jack creates, comma separated or repeated; values may"
                + " hold ACK's placeholders, such as the resource's namespace; an empty value for"
                + " none (default: ACK's controller-version and namespace tags).")
    List<String> resourceTags;

    @Option(
        names = "--watch-namespace",
        split = ",",
        paramLabel = "NS",
        description = "Namespaces to watch, comma separated or repeated (default: all).")
    List<String> namespaces = new ArrayList<>();

    @Option(
        names = "--watch-selectors",
        paramLabel = "SELECTOR",
        description =
            "A label selector of the resources to reconcile, such as 'app=a,env in (x,y)'"
                + " (default: all).")
    String watchSelectors;

    @Option(
        names = "--reconcile-resources",
        split = ",",
        paramLabel = "KIND",
        description = "The kinds to reconcile, comma separated or repeated (default: all).")
    List<String> reconcileResources = new ArrayList<>();

    @Option(
        names = "--reconcile-default-resync-seconds",
        paramLabel = "N",
        description =
            "How often a synced resource is compared with AWS (default: ${DEFAULT-VALUE}).")
    long resyncSeconds = ControllerSettings.DEFAULT_RESYNC_PERIOD.toSeconds();

    @Option(
        names = "--reconcile-resource-resync-seconds",
        split = ",",
        paramLabel = "KIND=N",
        description = "A kind's own drift check period; comma separated or repeated.")
    Map<String, Long> resyncSecondsByKind = new LinkedHashMap<>();

    @Option(
        names = "--reconcile-default-max-concurrent-syncs",
        paramLabel = "N",
        description =
            "How many resources of each kind are reconciled at once (default: ${DEFAULT-VALUE}).")
    int concurrency = 1;

    @Option(
        names = "--reconcile-resource-max-concurrent-syncs",
        split = ",",
        paramLabel = "KIND=N",
        description =
            "A kind's own number of resources reconciled at once; comma separated or repeated."
                + " Each kind keeps to its number, and a kind at its number or waiting on AWS"
                + " holds no other kind up.")
    Map<String, Integer> concurrencyByKind = new LinkedHashMap<>();

    @Option(
        names = "--deletion-policy",
        paramLabel = "delete|retain",
        description = "Whether deleting a resource deletes it in AWS (default: delete).")
    String deletionPolicy;

    @Option(
        names = "--feature-gates",
        paramLabel = "GATE=BOOL,...",
        description =
            "ACK's feature gates, such as ResourceAdoption=true,ReadOnlyResources=false; an"
                + " unknown gate is an error (default: ACK's: beta gates on, alpha gates off).")
    String featureGates;

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
        description =
            "Where the replicas' Lease lives (default: $POD_NAMESPACE, else"
                + " $ACK_SYSTEM_NAMESPACE).")
    String leaseNamespace;

    @Option(
        names = "--enable-field-export-reconciler",
        arity = "0..1",
        paramLabel = "BOOL",
        description =
            "Serve FieldExports (copy a field of a resource into a ConfigMap or Secret) of the"
                + " kinds this process reconciles (default: ${DEFAULT-VALUE}).")
    boolean fieldExports = true;

    @Option(
        names = "--enable-cross-namespace",
        arity = "0..1",
        paramLabel = "BOOL",
        description =
            "Allow references, secret references and FieldExport targets into other namespaces"
                + " (default: ${DEFAULT-VALUE}, as ACK's releases since October 2026).")
    boolean crossNamespace;

    @Option(
        names = "--enable-carm",
        arity = "0..1",
        paramLabel = "BOOL",
        description =
            "ACK's cross-account resource management: a namespace annotated"
                + " services.k8s.aws/owner-account-id is served through the IAM role that the"
                + " ConfigMap ack-role-account-map of the controller's namespace"
                + " ($ACK_SYSTEM_NAMESPACE, else $POD_NAMESPACE) maps the account to.")
    boolean carm;

    @Option(
        names = "--log-level",
        paramLabel = "LEVEL",
        description =
            "trace, debug, info, warn or error; ACK's dpanic, panic and fatal mean error"
                + " (default: info).")
    String logLevel;

    @Option(
        names = "--enable-development-logging",
        arity = "0..1",
        paramLabel = "BOOL",
        description = "Log at debug level, unless --log-level is given.")
    boolean developmentLogging;

    @Option(
        names = "--log-format",
        paramLabel = "FORMAT",
        description =
            "text (a line per entry, for people) or json (an object per line, for log pipelines:"
                + " timestamp, level, thread, logger, message, exception); default: text.")
    String logFormat;

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
   * Parses the command line, with defaults from the process's environment.
   *
   * @throws IllegalArgumentException with a message that names the flag and the usage, for a bad
   *     flag or value
   */
  public static Flags parse(List<String> args, String version) {
    return parse(args, version, System::getenv);
  }

  /** Parses the command line, with defaults from {@code env}. */
  static Flags parse(List<String> args, String version, Function<String, String> env) {
    Options options = new Options();
    CommandLine line = commandLine(options);
    try {
      line.parseArgs(args.toArray(String[]::new));
    } catch (ParameterException e) {
      throw new IllegalArgumentException(e.getMessage() + "\n\n" + usage(), e);
    }
    try {
      return of(options, version, env);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + "\n\n" + usage(), e);
    }
  }

  private static CommandLine commandLine(Options options) {
    return new CommandLine(options)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setUsageHelpWidth(100);
  }

  private static Flags of(Options options, String version, Function<String, String> env) {
    String region = orDefault(options.region, env.apply("AWS_REGION"));
    if (region == null) {
      throw new IllegalArgumentException("--aws-region is required (or AWS_REGION)");
    }
    positive("--reconcile-default-resync-seconds", options.resyncSeconds);
    positive("--reconcile-default-max-concurrent-syncs", options.concurrency);
    Map<String, Duration> resyncByKind = new LinkedHashMap<>();
    options.resyncSecondsByKind.forEach(
        (kind, seconds) -> {
          positive("--reconcile-resource-resync-seconds " + kind, seconds);
          resyncByKind.put(kind.trim(), Duration.ofSeconds(seconds));
        });
    Map<String, Integer> concurrencyByKind = new LinkedHashMap<>();
    options.concurrencyByKind.forEach(
        (kind, syncs) -> {
          positive("--reconcile-resource-max-concurrent-syncs " + kind, syncs);
          concurrencyByKind.put(kind.trim(), syncs);
        });
    String leaseNamespace =
        orDefault(
            options.leaseNamespace,
            orDefault(env.apply("POD_NAMESPACE"), env.apply("ACK_SYSTEM_NAMESPACE")));
    if (options.leaderElection && leaseNamespace == null) {
      throw new IllegalArgumentException(
          "--enable-leader-election needs --leader-election-namespace (or POD_NAMESPACE or"
              + " ACK_SYSTEM_NAMESPACE)");
    }
    String systemNamespace =
        orDefault(env.apply("ACK_SYSTEM_NAMESPACE"), env.apply("POD_NAMESPACE"));
    if (options.carm && systemNamespace == null) {
      throw new IllegalArgumentException(
          "--enable-carm needs the controller's namespace, where ack-role-account-map lives:"
              + " set ACK_SYSTEM_NAMESPACE (ACK's chart does) or POD_NAMESPACE");
    }
    URI identityEndpoint = url("--aws-identity-endpoint-url", options.identityEndpoint);
    if (identityEndpoint != null && !options.allowUnsafeEndpoints && !isAws(identityEndpoint)) {
      throw new IllegalArgumentException(
          "--aws-identity-endpoint-url "
              + identityEndpoint
              + " is not an https AWS endpoint (*.amazonaws.com); add"
              + " --allow-unsafe-aws-endpoint-urls to use it");
    }
    ControllerSettings settings =
        ControllerSettings.builder(region)
            .endpoint(url("--aws-endpoint-url", options.endpoint))
            .identityEndpoint(identityEndpoint)
            .endpointPathStyle(options.pathStyle)
            .httpClientTimeout(timeout(options.httpClientTimeout))
            .watchNamespaces(trimmed(options.namespaces))
            .watchSelector(watchSelector(options.watchSelectors))
            .reconcileResources(trimmed(options.reconcileResources))
            .resyncPeriod(Duration.ofSeconds(options.resyncSeconds))
            .resyncPeriods(resyncByKind)
            .maxConcurrentSyncs(options.concurrency)
            .maxConcurrentSyncsByKind(concurrencyByKind)
            .deletionPolicy(deletionPolicy(options.deletionPolicy))
            .controllerVersion(version)
            .featureGates(FeatureGates.parse(options.featureGates))
            .fieldExports(options.fieldExports)
            .carm(options.carm)
            .crossNamespace(options.crossNamespace)
            .systemNamespace(systemNamespace)
            .resourceTags(
                options.resourceTags == null
                    ? ResourceTags.defaults()
                    : ResourceTags.parse(String.join(",", options.resourceTags)))
            .build();
    return new Flags(
        settings,
        trimmed(options.services),
        options.metricsAddress,
        options.healthAddress,
        options.leaderElection,
        options.leaderElection ? leaseNamespace : null,
        logLevel(options),
        jsonLogs(options.logFormat));
  }

  private static boolean jsonLogs(String format) {
    String value = orDefault(format, "text").toLowerCase(Locale.ROOT);
    return switch (value) {
      case "text" -> false;
      case "json" -> true;
      default ->
          throw new IllegalArgumentException(
              "--log-format must be text or json, not '" + format + "'");
    };
  }

  /**
   * Checks the flags that name kinds against the kinds the selected services have: a kind that none
   * has is a mistake to report at start-up, not a setting to ignore.
   */
  void checkKinds(Set<String> kinds) {
    checkKinds("--reconcile-resources", settings.reconcileResources(), kinds);
    checkKinds("--reconcile-resource-resync-seconds", settings.resyncPeriods().keySet(), kinds);
    checkKinds(
        "--reconcile-resource-max-concurrent-syncs",
        settings.maxConcurrentSyncsByKind().keySet(),
        kinds);
  }

  private static void checkKinds(String flag, Set<String> named, Set<String> kinds) {
    for (String kind : named) {
      if (!kinds.contains(kind)) {
        throw new IllegalArgumentException(
            flag
                + ": no kind '"
                + kind
                + "' in the selected services; they have "
                + new TreeSet<>(kinds)
                + "\n\n"
                + usage());
      }
    }
  }

  /** The level the root logger gets: {@code --log-level}, else debug for development logging. */
  private static String logLevel(Options options) {
    String level = orDefault(options.logLevel, null);
    if (level == null) {
      return options.developmentLogging ? "debug" : "info";
    }
    level = level.toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      throw new IllegalArgumentException(
          "--log-level must be one of " + LOG_LEVELS + ", not '" + options.logLevel + "'");
    }
    return switch (level) {
      case "dpanic", "panic", "fatal" -> "error";
      default -> level;
    };
  }

  private static DeletionPolicy deletionPolicy(String value) {
    if (orDefault(value, null) == null) {
      return DeletionPolicy.DELETE;
    }
    try {
      return DeletionPolicy.parse(value, "--deletion-policy");
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The selector, or null for an empty one; the API server checks it at start-up. */
  private static String watchSelector(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** An absolute URL with a host, or null for an empty value. */
  private static URI url(String flag, String value) {
    if (orDefault(value, null) == null) {
      return null;
    }
    try {
      URI url = new URI(value.trim());
      if (url.getScheme() == null || url.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return url;
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + " must be a URL, not '" + value + "'", e);
    }
  }

  /** Whether an endpoint is AWS's own, over https: ACK trusts those without being told to. */
  private static boolean isAws(URI url) {
    String host = url.getHost().toLowerCase(Locale.ROOT);
    return url.getScheme().equalsIgnoreCase("https")
        && (host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn"));
  }

  /** A Go duration ({@code 60s}, {@code 1m30s}, {@code 500ms}), as ACK's flag takes it. */
  static Duration timeout(String value) {
    if (orDefault(value, null) == null) {
      return ControllerSettings.DEFAULT_HTTP_CLIENT_TIMEOUT;
    }
    String text = value.trim();
    Matcher part = GO_DURATION_PART.matcher(text);
    double nanos = 0;
    int end = 0;
    while (part.find() && part.start() == end) {
      nanos += Double.parseDouble(part.group(1)) * nanosPer(part.group(2));
      end = part.end();
    }
    if (end != text.length() || end == 0) {
      throw new IllegalArgumentException(
          "--http-client-timeout must be a duration such as 60s or 1m30s, not '" + value + "'");
    }
    Duration timeout = Duration.ofNanos((long) nanos);
    if (timeout.isZero()) {
      throw new IllegalArgumentException("--http-client-timeout must be positive, not " + value);
    }
    return timeout;
  }

  private static double nanosPer(String unit) {
    return switch (unit) {
      case "ns" -> 1;
      case "us", "\u00b5s", "\u03bcs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      default -> 3600e9;
    };
  }

  private static void positive(String flag, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(flag + " must be positive, not " + value);
    }
  }

  /** The value, or the default when it is missing or empty (the chart's unset settings). */
  private static String orDefault(String value, String fallback) {
    if (value != null && !value.isBlank()) {
      return value;
    }
    return fallback == null || fallback.isBlank() ? null : fallback;
  }

  private static Set<String> trimmed(List<String> values) {
    Set<String> items = new LinkedHashSet<>();
    values.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(items::add);
    return items;
  }
}
