package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jack.api.AckResourceMetadata;
import dev.jack.api.AckStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a resource lives and how it is looked after: annotation, namespace, flag, and pinning. */
class ResourcePolicyTest {

  private final ResourcePolicy policy =
      new ResourcePolicy(
          "Queue",
          "sqs",
          ControllerSettings.builder("us-east-1")
              .resyncPeriods(Map.of("Queue", Duration.ofMinutes(5)))
              .deletionPolicy(DeletionPolicy.DELETE)
              .build());

  @Test
  void theRegionIsTheResourcesThenTheNamespacesThenTheFlags() {
    Namespace byDefault = namespace(Map.of("services.k8s.aws/default-region", "eu-west-1"));
    AckStatus none = status();
    assertThat(policy.region(resource(Map.of()), namespace(Map.of()), none)).isEqualTo("us-east-1");
    assertThat(policy.region(resource(Map.of()), null, none)).isEqualTo("us-east-1");
    assertThat(policy.region(resource(Map.of()), byDefault, none)).isEqualTo("eu-west-1");
    assertThat(
            policy.region(
                resource(Map.of("services.k8s.aws/region", "ap-south-1")), byDefault, none))
        .isEqualTo("ap-south-1");
    assertThat(
            policy.region(
                resource(Map.of()),
                namespace(Map.of("services.k8s.aws/default-region", " ")),
                none))
        .as("a blank annotation is none")
        .isEqualTo("us-east-1");
  }

  @Test
  void aRecordedRegionIsPinnedAndAChangeIsReportedWithHowToMoveIt() {
    AckStatus recorded = recorded("eu-west-1", "111122223333");
    Namespace eu = namespace(Map.of("services.k8s.aws/default-region", "eu-west-1"));
    assertThat(policy.region(resource(Map.of()), eu, recorded)).isEqualTo("eu-west-1");
    assertThatThrownBy(() -> policy.region(resource(Map.of()), namespace(Map.of()), recorded))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining(
            "The Queue lives in eu-west-1, but its region now resolves to us-east-1")
        .hasMessageContaining("deletion-policy retain");
  }

  @Test
  void aRecordedAccountIsPinned() {
    AckStatus recorded = recorded("us-east-1", "111122223333");
    policy.checkAccount(recorded, "111122223333");
    policy.checkAccount(status(), "444455556666");
    assertThatThrownBy(() -> policy.checkAccount(recorded, "444455556666"))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("belongs to account 111122223333")
        .hasMessageContaining("now of account 444455556666");
  }

  @Test
  void theNamespacesEndpointIsAUrlOrATerminalErrorSayingWhatIsExpected() {
    assertThat(ResourcePolicy.endpoint(null)).isNull();
    assertThat(ResourcePolicy.endpoint(namespace(Map.of()))).isNull();
    assertThat(
            ResourcePolicy.endpoint(
                namespace(Map.of("services.k8s.aws/endpoint-url", " https://vpce-1.example/ "))))
        .isEqualTo(URI.create("https://vpce-1.example/"));
    assertThatThrownBy(
            () ->
                ResourcePolicy.endpoint(
                    namespace(Map.of("services.k8s.aws/endpoint-url", "vpce-1.example"))))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("'vpce-1.example', which is no URL");
  }

  @Test
  void theDeletionPolicyIsTheResourcesThenTheNamespacesForTheServiceThenTheFlags() {
    Namespace retains = namespace(Map.of("sqs.services.k8s.aws/deletion-policy", "retain"));
    Namespace otherService = namespace(Map.of("s3.services.k8s.aws/deletion-policy", "retain"));
    assertThat(policy.deletionPolicy(resource(Map.of()), null)).isEqualTo(DeletionPolicy.DELETE);
    assertThat(policy.deletionPolicy(resource(Map.of()), otherService))
        .isEqualTo(DeletionPolicy.DELETE);
    assertThat(policy.deletionPolicy(resource(Map.of()), retains)).isEqualTo(DeletionPolicy.RETAIN);
    assertThat(
            policy.deletionPolicy(
                resource(Map.of("services.k8s.aws/deletion-policy", "Delete")), retains))
        .isEqualTo(DeletionPolicy.DELETE);
    assertThatThrownBy(
            () ->
                policy.deletionPolicy(
                    resource(Map.of("services.k8s.aws/deletion-policy", "keep")), null))
        .isInstanceOf(TerminalException.class)
        .hasMessage("services.k8s.aws/deletion-policy must be 'delete' or 'retain', not 'keep'");
  }

  @Test
  void theResyncPeriodIsTheResourcesOrTheKindsAndABadOneIsTerminal() {
    assertThat(policy.resyncPeriod(resource(Map.of()))).isEqualTo(Duration.ofMinutes(5));
    assertThat(policy.kindResyncPeriod()).isEqualTo(Duration.ofMinutes(5));
    assertThat(policy.resyncPeriod(resource(Map.of("jack.dev/resync-seconds", " 30 "))))
        .isEqualTo(Duration.ofSeconds(30));
    for (String bad : new String[] {"often", "0", "-5"}) {
      assertThatThrownBy(
              () -> policy.resyncPeriod(resource(Map.of("jack.dev/resync-seconds", bad))))
          .isInstanceOf(TerminalException.class)
          .hasMessage(
              "jack.dev/resync-seconds must be a positive number of seconds, not '" + bad + "'");
    }
  }

  private static HasMetadata resource(Map<String, String> annotations) {
    ConfigMap resource =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("orders")
            .withNamespace("shop")
            .endMetadata()
            .build();
    resource.getMetadata().setAnnotations(annotations);
    return resource;
  }

  private static Namespace namespace(Map<String, String> annotations) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName("shop")
        .withAnnotations(annotations)
        .endMetadata()
        .build();
  }

  /** A kind's status: only the part every kind shares matters here. */
  private static AckStatus status() {
    return new AckStatus() {};
  }

  private static AckStatus recorded(String region, String account) {
    AckResourceMetadata metadata = new AckResourceMetadata();
    metadata.setRegion(region);
    metadata.setOwnerAccountID(account);
    AckStatus status = status();
    status.setAckResourceMetadata(metadata);
    return status;
  }
}
