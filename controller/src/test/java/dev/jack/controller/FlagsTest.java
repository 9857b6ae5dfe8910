package dev.jack.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jack.runtime.ControllerSettings;
import dev.jack.runtime.DeletionPolicy;
import dev.jack.runtime.FeatureGates.Gate;
import dev.jack.runtime.ResourceTags;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagsTest {

  private static final ObjectMeta BUCKET =
      new ObjectMetaBuilder().withNamespace("team-a").withName("logs").build();

  /**
   * ACK's Helm chart's arguments as the kubelet expands them from its default values (most of them
   * empty); ChartArgumentsIT starts the executable with them.
   */
  static final List<String> CHART_DEFAULTS = chartDefaults();

  private static List<String> chartDefaults() {
    try (java.io.InputStream in = FlagsTest.class.getResourceAsStream("/ack-chart-defaults.json")) {
      return List.of(
          new com.fasterxml.jackson.databind.ObjectMapper().readValue(in, String[].class));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final Map<String, String> POD_ENV =
      Map.of("AWS_REGION", "us-west-2", "ACK_SYSTEM_NAMESPACE", "ack-system");

  private static final Map<String, String> NO_ENV = Map.of();

  /** Parses with an empty environment, so that the machine's AWS_REGION does not count. */
  private static Flags parse(String... args) {
    return Flags.parse(List.of(args), "v1", NO_ENV::get);
  }

  @Test
  void theChartsArgumentsWithEmptyValuesMeanTheDefaults() {
    Flags flags = Flags.parse(CHART_DEFAULTS, "v1", POD_ENV::get);
    ControllerSettings settings = flags.settings();
    assertThat(settings.region()).isEqualTo("us-west-2");
    assertThat(settings.endpoint()).isNull();
    assertThat(settings.identityEndpoint()).isNull();
    assertThat(flags.logLevel()).isEqualTo("info");
    assertThat(settings.resourceTags().templates()).isEmpty();
    assertThat(settings.watchNamespaces()).isEmpty();
    assertThat(settings.watchSelector()).isNull();
    assertThat(settings.reconcileResources()).isEmpty();
    assertThat(settings.reconciles("Bucket")).isTrue();
    assertThat(settings.deletionPolicy()).isEqualTo(DeletionPolicy.DELETE);
    assertThat(flags.leaderElection()).isTrue();
    assertThat(flags.leaderElectionNamespace()).isEqualTo("ack-system");
    assertThat(settings.carm()).isTrue();
    assertThat(settings.systemNamespace()).isEqualTo("ack-system");
    assertThat(settings.resyncPeriod("Bucket")).isEqualTo(Duration.ofHours(10));
    assertThat(settings.maxConcurrentSyncs("Bucket")).isEqualTo(1);
    assertThat(settings.featureGates().enabled(Gate.ResourceAdoption)).isTrue();
    assertThat(settings.featureGates().enabled(Gate.TeamLevelCARM)).isFalse();
    assertThat(settings.endpointPathStyle()).isFalse();
    assertThat(settings.httpClientTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void theChartsArgumentsWithEveryValueSet() {
    Flags flags =
        Flags.parse(
            List.of(
                "--aws-region",
                "eu-west-1",
                "--aws-endpoint-url",
                "http://moto:5000",
                "--enable-development-logging",
                "--log-level",
                "warn",
                "--resource-tags",
                "team=a,where=%K8S_NAMESPACE%/%K8S_RESOURCE_NAME%",
                "--watch-namespace",
                "team-a,team-b",
                "--watch-selectors",
                "app=jack,env in (dev, prod)",
                "--reconcile-resources",
                "Bucket,Queue",
                "--deletion-policy",
                "retain",
                "--enable-carm=false",
                "--aws-identity-endpoint-url",
                "http://moto:5000",
                "--allow-unsafe-aws-endpoint-urls",
                "--enable-leader-election",
                "--leader-election-namespace",
                "jack-system",
                "--reconcile-default-resync-seconds",
                "600",
                "--reconcile-resource-resync-seconds",
                "Bucket=60",
                "--reconcile-resource-resync-seconds",
                "Queue=120",
                "--reconcile-default-max-concurrent-syncs",
                "2",
                "--reconcile-resource-max-concurrent-syncs",
                "Bucket=4",
                "--reconcile-resource-max-concurrent-syncs",
                "Queue=3",
                "--feature-gates",
                "ResourceAdoption=false,TeamLevelCARM=true",
                "--aws-endpoint-use-path-style=true",
                "--http-client-timeout",
                "1m30s"),
            "v1",
            POD_ENV::get);
    ControllerSettings settings = flags.settings();
    assertThat(settings.region()).isEqualTo("eu-west-1");
    assertThat(settings.endpoint()).isEqualTo(URI.create("http://moto:5000"));
    assertThat(settings.identityEndpoint()).isEqualTo(URI.create("http://moto:5000"));
    assertThat(flags.logLevel()).isEqualTo("warn");
    assertThat(settings.resourceTags().expand("s3", "v1", "Bucket", BUCKET))
        .containsExactly(Map.entry("team", "a"), Map.entry("where", "team-a/logs"));
    assertThat(settings.watchNamespaces()).containsExactly("team-a", "team-b");
    assertThat(settings.watchSelector()).isEqualTo("app=jack,env in (dev, prod)");
    assertThat(settings.reconcileResources()).containsExactly("Bucket", "Queue");
    assertThat(settings.reconciles("Table")).isFalse();
    assertThat(settings.deletionPolicy()).isEqualTo(DeletionPolicy.RETAIN);
    assertThat(flags.leaderElectionNamespace()).isEqualTo("jack-system");
    assertThat(settings.resyncPeriod("Table")).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.resyncPeriod("Bucket")).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.resyncPeriod("Queue")).isEqualTo(Duration.ofSeconds(120));
    assertThat(settings.maxConcurrentSyncs()).isEqualTo(2);
    assertThat(settings.maxConcurrentSyncsByKind())
        .containsExactly(Map.entry("Bucket", 4), Map.entry("Queue", 3));
    assertThat(settings.maxConcurrentSyncs("Bucket")).isEqualTo(4);
    assertThat(settings.maxConcurrentSyncs("Table")).isEqualTo(2);
    assertThat(settings.featureGates().enabled(Gate.ResourceAdoption)).isFalse();
    assertThat(settings.featureGates().enabled(Gate.TeamLevelCARM)).isTrue();
    assertThat(settings.featureGates().enabled(Gate.ReadOnlyResources)).isTrue();
    assertThat(settings.endpointPathStyle()).isTrue();
    assertThat(settings.httpClientTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(settings.controllerVersion()).isEqualTo("v1");
  }

  @Test
  void theDefaultResourceTagsAreAcksExpandedPerResource() {
    ControllerSettings settings = parse("--aws-region=x").settings();
    assertThat(settings.resourceTags().expand("s3", settings.controllerVersion(), "Bucket", BUCKET))
        .containsExactly(
            Map.entry("services.k8s.aws/controller-version", "s3-v1"),
            Map.entry("services.k8s.aws/namespace", "team-a"));
  }

  @Test
  void theNewerChartsLabelTagsAreExpandedOrLeftOut() {
    ControllerSettings settings =
        parse(
                "--aws-region=x",
                "--resource-tags",
                ResourceTags.ACK_DEFAULT
                    + ",app.kubernetes.io/managed-by=%MANAGED_BY%,kro.run/kro-version=%KRO_VERSION%")
            .settings();
    assertThat(settings.resourceTags().expand("sqs", "v1", "Queue", BUCKET))
        .containsOnlyKeys("services.k8s.aws/controller-version", "services.k8s.aws/namespace");
  }

  @Test
  void repeatedResourceTagsAccumulateAndBadEntriesAreSkipped() {
    ResourceTags tags =
        parse("--aws-region=x", "--resource-tags", "a=1,oops", "--resource-tags=b=2")
            .settings()
            .resourceTags();
    assertThat(tags.templates()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThat(tags.skipped()).containsExactly("oops");
  }

  @Test
  void emptyValuesFallBackToTheEnvironment() {
    Flags flags =
        Flags.parse(
            List.of("--aws-region", "", "--enable-leader-election", "--leader-election-namespace="),
            "v1",
            Map.of(
                    "AWS_REGION",
                    "ap-south-1",
                    "POD_NAMESPACE",
                    "pods",
                    "ACK_SYSTEM_NAMESPACE",
                    "ack")
                ::get);
    assertThat(flags.settings().region()).isEqualTo("ap-south-1");
    assertThat(flags.leaderElectionNamespace()).isEqualTo("pods");
    assertThatThrownBy(() -> parse("--aws-region", ""))
        .hasMessageContaining("--aws-region is required");
    assertThatThrownBy(() -> parse("--aws-region=x", "--enable-leader-election"))
        .hasMessageContaining("--enable-leader-election needs --leader-election-namespace");
  }

  @Test
  void developmentLoggingIsDebugUnlessALevelIsGiven() {
    assertThat(parse("--aws-region=x", "--enable-development-logging").logLevel())
        .isEqualTo("debug");
    assertThat(parse("--aws-region=x", "--enable-development-logging", "--log-level=").logLevel())
        .isEqualTo("debug");
    assertThat(
            parse("--aws-region=x", "--enable-development-logging", "--log-level", "info")
                .logLevel())
        .isEqualTo("info");
    assertThat(parse("--aws-region=x", "--enable-development-logging=false").logLevel())
        .isEqualTo("info");
    assertThat(parse("--aws-region=x", "--log-level=fatal").logLevel()).isEqualTo("error");
    assertThat(parse("--aws-region=x", "--log-level=DEBUG").logLevel()).isEqualTo("debug");
  }

  @Test
  void logsAreTextUnlessJsonIsAsked() {
    assertThat(parse("--aws-region=x").jsonLogs()).isFalse();
    assertThat(parse("--aws-region=x", "--log-format", "").jsonLogs()).isFalse();
    assertThat(parse("--aws-region=x", "--log-format=JSON").jsonLogs()).isTrue();
    assertThatThrownBy(() -> parse("--aws-region=x", "--log-format=xml"))
        .hasMessageContaining("--log-format must be text or json, not 'xml'");
  }

  @Test
  void anUnsafeIdentityEndpointNeedsTheFlag() {
    assertThatThrownBy(
            () -> parse("--aws-region=x", "--aws-identity-endpoint-url", "http://127.0.0.1:5000"))
        .hasMessageContaining("--aws-identity-endpoint-url http://127.0.0.1:5000")
        .hasMessageContaining("add --allow-unsafe-aws-endpoint-urls");
    assertThatThrownBy(
            () -> parse("--aws-region=x", "--aws-identity-endpoint-url=https://sts.example.com"))
        .hasMessageContaining("--allow-unsafe-aws-endpoint-urls");
    assertThatThrownBy(
            () ->
                parse(
                    "--aws-region=x",
                    "--aws-identity-endpoint-url=http://sts.us-east-1.amazonaws.com"))
        .hasMessageContaining("--allow-unsafe-aws-endpoint-urls");
    assertThat(
            parse(
                    "--aws-region=x",
                    "--aws-identity-endpoint-url=https://sts.us-east-1.amazonaws.com")
                .settings()
                .identityEndpoint())
        .isEqualTo(URI.create("https://sts.us-east-1.amazonaws.com"));
    assertThat(
            parse(
                    "--aws-region=x",
                    "--aws-identity-endpoint-url=http://127.0.0.1:5000",
                    "--allow-unsafe-aws-endpoint-urls=true")
                .settings()
                .identityEndpoint())
        .isEqualTo(URI.create("http://127.0.0.1:5000"));
    assertThat(
            parse("--aws-region=x", "--aws-identity-endpoint-url=").settings().identityEndpoint())
        .isNull();
    assertThatThrownBy(
            () ->
                parse(
                    "--aws-region=x",
                    "--aws-identity-endpoint-url=sts",
                    "--allow-unsafe-aws-endpoint-urls"))
        .hasMessageContaining("--aws-identity-endpoint-url must be a URL, not 'sts'");
    assertThatThrownBy(() -> parse("--aws-region=x", "--aws-endpoint-url=localhost:5000"))
        .hasMessageContaining("--aws-endpoint-url must be a URL, not 'localhost:5000'");
  }

  @Test
  void pathStyleIsUnsetUnlessGiven() {
    assertThat(parse("--aws-region=x").settings().endpointPathStyle()).isNull();
    assertThat(
            parse("--aws-region=x", "--aws-endpoint-use-path-style").settings().endpointPathStyle())
        .isTrue();
  }

  @Test
  void httpClientTimeoutsAreGoDurations() {
    assertThat(Flags.timeout("60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(Flags.timeout("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Flags.timeout("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Flags.timeout("2m3s")).isEqualTo(Duration.ofSeconds(123));
    assertThat(Flags.timeout("")).isEqualTo(Duration.ofSeconds(60));
    assertThatThrownBy(() -> parse("--aws-region=x", "--http-client-timeout=60"))
        .hasMessageContaining("--http-client-timeout must be a duration such as 60s");
    assertThatThrownBy(() -> parse("--aws-region=x", "--http-client-timeout=1m bad"))
        .hasMessageContaining("--http-client-timeout must be a duration");
    assertThatThrownBy(() -> parse("--aws-region=x", "--http-client-timeout=0s"))
        .hasMessageContaining("--http-client-timeout must be positive");
  }

  @Test
  void badValuesOfTheNewFlagsNameTheFlag() {
    assertThatThrownBy(
            () -> parse("--aws-region=x", "--reconcile-resource-max-concurrent-syncs=Bucket=0"))
        .hasMessageContaining("--reconcile-resource-max-concurrent-syncs Bucket must be positive");
    assertThatThrownBy(
            () -> parse("--aws-region=x", "--reconcile-resource-max-concurrent-syncs=Bucket=two"))
        .hasMessageContaining("--reconcile-resource-max-concurrent-syncs")
        .hasMessageContaining("'two' is not an int");
    assertThatThrownBy(() -> parse("--aws-region=x", "--feature-gates=Teleport=true"))
        .hasMessageContaining("--feature-gates: unknown feature gate 'Teleport'");
    assertThatThrownBy(() -> parse("--aws-region=x", "--feature-gates=ResourceAdoption=maybe"))
        .hasMessageContaining("--feature-gates: ResourceAdoption must be true or false");
    assertThatThrownBy(() -> parse("--aws-region=x", "--enable-carm=perhaps"))
        .hasMessageContaining("--enable-carm");
    assertThatThrownBy(() -> parse("--aws-region=x", "--enable-carm"))
        .hasMessageContaining("--enable-carm needs the controller's namespace");
  }

  @Test
  void kindsThatNoSelectedServiceHasAreRejectedForEveryKindFlag() {
    Set<String> kinds = Set.of("Bucket", "Queue");
    assertThatThrownBy(
            () -> parse("--aws-region=x", "--reconcile-resources=Bucket,Tabel").checkKinds(kinds))
        .hasMessageContaining("--reconcile-resources: no kind 'Tabel'");
    assertThatThrownBy(
            () ->
                parse("--aws-region=x", "--reconcile-resource-max-concurrent-syncs=Qeue=2")
                    .checkKinds(kinds))
        .hasMessageContaining("--reconcile-resource-max-concurrent-syncs: no kind 'Qeue'")
        .hasMessageContaining("[Bucket, Queue]");
    parse(
            "--aws-region=x",
            "--reconcile-resources=Bucket",
            "--reconcile-resource-max-concurrent-syncs=Queue=2")
        .checkKinds(kinds);
  }

  @Test
  void acksFlagsAreUnderstood() {
    Flags flags =
        Flags.parse(
            List.of(
                "--aws-region=eu-west-1",
                "--aws-endpoint-url",
                "http://127.0.0.1:5000",
                "--watch-namespace=team-a,team-b",
                "--reconcile-default-resync-seconds=600",
                "--reconcile-resource-resync-seconds=Bucket=60,Queue=120",
                "--reconcile-default-max-concurrent-syncs=4",
                "--deletion-policy=retain",
                "--enable-leader-election",
                "--leader-election-namespace=jack-system",
                "--services=s3,sqs",
                "--metrics-addr=:9090",
                "--healthz-addr=127.0.0.1:9091",
                "--log-level=debug"),
            "v1");

    assertThat(flags.settings().region()).isEqualTo("eu-west-1");
    assertThat(flags.settings().endpoint()).isEqualTo(URI.create("http://127.0.0.1:5000"));
    assertThat(flags.settings().watchNamespaces()).containsExactly("team-a", "team-b");
    assertThat(flags.settings().resyncPeriod("Table")).isEqualTo(Duration.ofMinutes(10));
    assertThat(flags.settings().resyncPeriod("Bucket")).isEqualTo(Duration.ofSeconds(60));
    assertThat(flags.settings().maxConcurrentSyncs()).isEqualTo(4);
    assertThat(flags.settings().deletionPolicy()).isEqualTo(DeletionPolicy.RETAIN);
    assertThat(flags.leaderElection()).isTrue();
    assertThat(flags.leaderElectionNamespace()).isEqualTo("jack-system");
    assertThat(flags.services()).containsExactly("s3", "sqs");
    assertThat(flags.metricsAddress()).isEqualTo(":9090");
    assertThat(flags.logLevel()).isEqualTo("debug");
  }

  @Test
  void defaultsAreAcks() {
    Flags flags = Flags.parse(List.of("--aws-region", "us-east-1"), "v1");
    assertThat(flags.settings().resyncPeriod("Queue")).isEqualTo(Duration.ofHours(10));
    assertThat(flags.settings().deletionPolicy()).isEqualTo(DeletionPolicy.DELETE);
    assertThat(flags.settings().watchNamespaces()).isEmpty();
    assertThat(flags.settings().endpoint()).isNull();
  }

  @Test
  void badInputNamesTheFlagAndShowsTheUsage() {
    assertThatThrownBy(() -> Flags.parse(List.of("--aws-region=x", "--resync=5"), "v1"))
        .hasMessageContaining("Unknown option: '--resync=5'")
        .hasMessageContaining("Usage: jack-controller");
    assertThatThrownBy(() -> Flags.parse(List.of("--aws-region=x", "--deletion-policy=keep"), "v1"))
        .hasMessageContaining("--deletion-policy must be 'delete' or 'retain'")
        .hasMessageContaining("Usage: jack-controller");
    assertThatThrownBy(
            () ->
                Flags.parse(
                    List.of("--aws-region=x", "--reconcile-default-resync-seconds=-1"), "v1"))
        .hasMessageContaining("--reconcile-default-resync-seconds must be positive");
    assertThatThrownBy(
            () ->
                Flags.parse(
                    List.of("--aws-region=x", "--reconcile-default-max-concurrent-syncs=two"),
                    "v1"))
        .hasMessageContaining("--reconcile-default-max-concurrent-syncs")
        .hasMessageContaining("'two' is not an int");
    assertThatThrownBy(() -> Flags.parse(List.of("--aws-region=x", "--log-level=loud"), "v1"))
        .hasMessageContaining("--log-level")
        .hasMessageContaining("loud");
    assertThatThrownBy(
            () ->
                Flags.parse(
                    List.of("--aws-region=x", "--reconcile-resource-resync-seconds=Queue=0"), "v1"))
        .hasMessageContaining("--reconcile-resource-resync-seconds Queue must be positive");
  }

  @Test
  void aRepeatedFlagAccumulates() {
    Flags flags =
        Flags.parse(
            List.of(
                "--aws-region=x",
                "--reconcile-resource-resync-seconds",
                "Bucket=60",
                "--reconcile-resource-resync-seconds=Queue=120,Topic=30",
                "--watch-namespace=a",
                "--watch-namespace=b"),
            "v1");
    assertThat(flags.settings().resyncPeriod("Bucket")).isEqualTo(Duration.ofSeconds(60));
    assertThat(flags.settings().resyncPeriod("Queue")).isEqualTo(Duration.ofSeconds(120));
    assertThat(flags.settings().resyncPeriod("Topic")).isEqualTo(Duration.ofSeconds(30));
    assertThat(flags.settings().watchNamespaces()).containsExactly("a", "b");
  }

  @Test
  void aKindNoSelectedServiceHasIsRejected() {
    Flags flags =
        Flags.parse(
            List.of("--aws-region=x", "--reconcile-resource-resync-seconds=Bukket=60"), "v1");
    assertThatThrownBy(() -> flags.checkKinds(java.util.Set.of("Bucket", "Queue")))
        .hasMessageContaining("no kind 'Bukket'")
        .hasMessageContaining("[Bucket, Queue]");
  }

  @Test
  void theUsageExplainsEveryFlag() {
    assertThat(Flags.usage())
        .contains("--aws-region")
        .contains("--reconcile-resource-resync-seconds")
        .contains("--log-level")
        .contains("--enable-leader-election")
        .contains("default: 36000")
        .contains("--watch-selectors")
        .contains("--reconcile-resources")
        .contains("--reconcile-resource-max-concurrent-syncs")
        .contains("--resource-tags")
        .contains("--feature-gates")
        .contains("--enable-development-logging")
        .contains("--aws-identity-endpoint-url")
        .contains("--allow-unsafe-aws-endpoint-urls")
        .contains("--aws-endpoint-use-path-style")
        .contains("--http-client-timeout");
    // Wrapped lines joined: what the long descriptions say.
    assertThat(Flags.usage().replaceAll("\\s+", " "))
        .contains(
            "--enable-carm[=BOOL] ACK's cross-account resource management: a namespace annotated"
                + " services.k8s.aws/owner-account-id is served through the IAM role")
        .contains("Each kind keeps to its number, and a kind at its number or waiting on AWS holds")
        .contains("--log-format=FORMAT text (a line per entry, for people) or json");
  }

  @Test
  void addressesAreHostAndPort() {
    assertThat(Main.address("--metrics-addr", ":8080").getPort()).isEqualTo(8080);
    assertThat(Main.address("--metrics-addr", "127.0.0.1:9000").getHostString())
        .isEqualTo("127.0.0.1");
    assertThatThrownBy(() -> Main.address("--metrics-addr", "8080"))
        .hasMessageContaining("--metrics-addr is HOST:PORT or :PORT, not '8080'");
  }
}
