package dev.jack.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jack.runtime.DeletionPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagsTest {

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
        .contains("default: 36000");
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
