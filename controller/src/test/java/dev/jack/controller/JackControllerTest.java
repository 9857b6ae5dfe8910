package dev.jack.controller;

import static org.assertj.core.api.Assertions.assertThat;

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
}
