package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The settings' defaults and what they derive; the flags themselves are tested in FlagsTest. */
class ControllerSettingsTest {

  @Test
  void theBuildersDefaultsAreAcks() {
    ControllerSettings settings = ControllerSettings.builder("eu-west-1").build();
    assertThat(settings.region()).isEqualTo("eu-west-1");
    assertThat(settings.resyncPeriod("Queue")).isEqualTo(Duration.ofHours(10));
    assertThat(settings.maxConcurrentSyncs()).isEqualTo(1);
    assertThat(settings.maxConcurrentSyncs("Queue")).isEqualTo(1);
    assertThat(settings.deletionPolicy()).isEqualTo(DeletionPolicy.DELETE);
    assertThat(settings.httpClientTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.resourceTags().templates())
        .containsOnlyKeys("services.k8s.aws/controller-version", "services.k8s.aws/namespace");
    assertThat(settings.reconciles("Bucket")).isTrue();
    assertThat(settings.watchSelector()).isNull();
    assertThat(settings.endpoint()).isNull();
    assertThat(settings.identityEndpoint()).isNull();
    assertThat(settings.endpointPathStyle()).isNull();
  }

  @Test
  void aKindsSettingOverridesTheDefault() {
    ControllerSettings settings =
        ControllerSettings.builder("x")
            .maxConcurrentSyncs(2)
            .maxConcurrentSyncsByKind(java.util.Map.of("Bucket", 5, "Queue", 3))
            .build();
    assertThat(settings.maxConcurrentSyncs("Bucket")).isEqualTo(5);
    assertThat(settings.maxConcurrentSyncs("Queue")).isEqualTo(3);
    assertThat(settings.maxConcurrentSyncs("Table")).isEqualTo(2);
  }

  @Test
  void onlyTheSelectedKindsAreReconciled() {
    ControllerSettings settings =
        ControllerSettings.builder("x").reconcileResources(java.util.List.of("Queue")).build();
    assertThat(settings.reconciles("Queue")).isTrue();
    assertThat(settings.reconciles("Bucket")).isFalse();
  }

  @Test
  void theEndpointIsKeptForTheSdk() {
    URI endpoint = URI.create("http://127.0.0.1:5000");
    assertThat(ControllerSettings.builder("x").endpoint(endpoint).build().endpoint())
        .isEqualTo(endpoint);
  }
}
