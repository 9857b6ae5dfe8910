package dev.jack.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.runtime.AwsService;
import dev.jack.runtime.ControllerSettings;
import dev.jack.services.s3.v1alpha1.Bucket;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each kind's informer is told to watch. */
class JackControllerTest {

  @Test
  void theInformerCarriesTheWatchSelectorAndNamespaces() {
    ControllerSettings settings =
        ControllerSettings.builder("x")
            .watchSelector("app=jack,env in (dev,prod)")
            .watchNamespaces(List.of("team-a"))
            .build();
    InformerConfiguration<Bucket> informer =
        JackController.informerConfiguration(Bucket.class, "s3-bucket", settings);
    assertThat(informer.getLabelSelector()).isEqualTo("app=jack,env in (dev,prod)");
    assertThat(informer.getNamespaces()).containsExactly("team-a");
    assertThat(informer.getName()).isEqualTo("s3-bucket");
  }

  @Test
  void withoutASelectorEveryResourceIsWatched() {
    InformerConfiguration<Bucket> informer =
        JackController.informerConfiguration(
            Bucket.class, "s3-bucket", ControllerSettings.builder("x").build());
    assertThat(informer.getLabelSelector()).isNull();
    assertThat(InformerConfiguration.allNamespacesWatched(informer.getNamespaces())).isTrue();
  }

  @Test
  void oneServiceCompetesForAcksLeaseSeveralForJacksOwn() {
    List<AwsService> all = new java.util.ArrayList<>();
    java.util.ServiceLoader.load(AwsService.class).forEach(all::add);
    AwsService s3 = all.stream().filter(s -> s.name().equals("s3")).findFirst().orElseThrow();
    assertThat(JackController.leaseName(List.of(s3))).isEqualTo("ack-s3.services.k8s.aws");
    assertThat(JackController.leaseName(all)).isEqualTo(JackController.LEASE_NAME);
  }

  @Test
  void awsConnectionsAreBoundedByTheReconcilesThatCanRunAtOnce() {
    List<AwsService> all = new java.util.ArrayList<>();
    java.util.ServiceLoader.load(AwsService.class).forEach(all::add);
    AwsService s3 = all.stream().filter(s -> s.name().equals("s3")).findFirst().orElseThrow();
    int kinds = s3.kinds().size();
    assertThat(
            JackController.concurrentReconciles(
                List.of(s3), ControllerSettings.builder("x").build()))
        .as("one worker per kind by default")
        .isEqualTo(kinds);
    ControllerSettings wider =
        ControllerSettings.builder("x")
            .maxConcurrentSyncs(2)
            .maxConcurrentSyncsByKind(java.util.Map.of("Bucket", 10))
            .build();
    assertThat(JackController.concurrentReconciles(List.of(s3), wider))
        .isEqualTo(10 + 2 * (kinds - 1));
    ControllerSettings bucketsOnly =
        ControllerSettings.builder("x")
            .reconcileResources(List.of("Bucket"))
            .maxConcurrentSyncsByKind(java.util.Map.of("Bucket", 3))
            .build();
    assertThat(JackController.concurrentReconciles(all, bucketsOnly)).isEqualTo(3);
  }
}
