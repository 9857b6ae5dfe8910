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
  void thePoolHoldsEveryReconciledKindsShare() {
    List<AwsService> all = new java.util.ArrayList<>();
    java.util.ServiceLoader.load(AwsService.class).forEach(all::add);
    List<AwsService> s3AndSqs =
        all.stream().filter(s -> s.name().equals("s3") || s.name().equals("sqs")).toList();
    ControllerSettings settings =
        ControllerSettings.builder("x")
            .maxConcurrentSyncs(2)
            .maxConcurrentSyncsByKind(java.util.Map.of("Bucket", 5))
            .fieldExports(false)
            .build();
    java.util.concurrent.ThreadPoolExecutor pool =
        (java.util.concurrent.ThreadPoolExecutor) JackController.reconcilePool(settings, s3AndSqs);
    assertThat(pool.getMaximumPoolSize()).as("Bucket 5 + Queue 2").isEqualTo(7);
    assertThat(pool.allowsCoreThreadTimeOut()).isTrue();
    pool.shutdown();

    ControllerSettings onlyQueues =
        ControllerSettings.builder("x")
            .reconcileResources(java.util.Set.of("Queue"))
            .fieldExports(true)
            .build();
    pool =
        (java.util.concurrent.ThreadPoolExecutor)
            JackController.reconcilePool(onlyQueues, s3AndSqs);
    assertThat(pool.getMaximumPoolSize()).as("Queue 1 + FieldExport 1").isEqualTo(2);
    pool.shutdown();
  }
}
