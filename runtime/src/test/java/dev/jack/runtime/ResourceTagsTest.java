package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ACK's --resource-tags: parsing, skipped entries and the placeholders of one resource. */
class ResourceTagsTest {

  private static final ObjectMeta BUCKET =
      new ObjectMetaBuilder().withNamespace("team-a").withName("logs").build();

  @Test
  void theDefaultsAreAcks() {
    assertThat(ResourceTags.defaults().expand("s3", "v1.2.3", "Bucket", BUCKET))
        .containsExactly(
            Map.entry("services.k8s.aws/controller-version", "s3-v1.2.3"),
            Map.entry("services.k8s.aws/namespace", "team-a"));
  }

  @Test
  void everyPlaceholderIsExpanded() {
    ResourceTags tags =
        ResourceTags.parse(
            "who=%K8S_RESOURCE_KIND%/%K8S_NAMESPACE%/%K8S_RESOURCE_NAME%,"
                + "by=%CONTROLLER_SERVICE%@%CONTROLLER_VERSION%,team=platform");
    assertThat(tags.expand("s3", "v1", "Bucket", BUCKET))
        .containsExactly(
            Map.entry("who", "Bucket/team-a/logs"),
            Map.entry("by", "s3@v1"),
            Map.entry("team", "platform"));
  }

  @Test
  void aMissingVersionIsUnknownAsInAck() {
    assertThat(ResourceTags.defaults().expand("sqs", "", "Queue", BUCKET))
        .containsEntry("services.k8s.aws/controller-version", "sqs-unknown");
  }

  @Test
  void labelPlaceholdersCopyTheResourcesLabelsAndAreLeftOutWithoutThem() {
    ResourceTags tags =
        ResourceTags.parse(
            ResourceTags.ACK_DEFAULT
                + ",app.kubernetes.io/managed-by=%MANAGED_BY%,kro.run/kro-version=%KRO_VERSION%");
    assertThat(tags.expand("s3", "v1", "Bucket", BUCKET))
        .containsOnlyKeys("services.k8s.aws/controller-version", "services.k8s.aws/namespace");
    ObjectMeta labelled =
        new ObjectMetaBuilder(BUCKET)
            .withLabels(Map.of("app.kubernetes.io/managed-by", "kro", "kro.run/kro-version", "0.4"))
            .build();
    assertThat(tags.expand("s3", "v1", "Bucket", labelled))
        .containsEntry("app.kubernetes.io/managed-by", "kro")
        .containsEntry("kro.run/kro-version", "0.4");
  }

  @Test
  void entriesThatAreNotKeyEqualsValueAreSkippedAndReported() {
    ResourceTags tags = ResourceTags.parse(" a = 1 ,novalue,=2,b=,c=1=2,,d=4");
    assertThat(tags.templates()).containsExactly(Map.entry("a", "1"), Map.entry("d", "4"));
    assertThat(tags.skipped()).containsExactly("novalue", "=2", "b=", "c=1=2");
  }

  @Test
  void emptyMeansNoTags() {
    assertThat(ResourceTags.parse("").expand("s3", "v1", "Bucket", BUCKET)).isEmpty();
    assertThat(ResourceTags.none().templates()).isEmpty();
    assertThat(ResourceTags.none().skipped()).isEmpty();
  }

  @Test
  void aLaterEntryOfTheSameKeyWins() {
    assertThat(ResourceTags.parse("a=1,a=2").templates()).containsExactly(Map.entry("a", "2"));
  }
}
