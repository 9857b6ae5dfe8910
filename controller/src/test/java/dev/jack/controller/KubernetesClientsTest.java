package dev.jack.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.services.s3.v1alpha1.Bucket;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import org.junit.jupiter.api.Test;

/** How jack's clients of the API server read and write objects. */
class KubernetesClientsTest {

  private static final String BUCKET =
      "{\"apiVersion\":\"s3.services.k8s.aws/v1alpha1\",\"kind\":\"Bucket\",\"metadata\":{"
          + "\"name\":\"logs\",\"namespace\":\"team-a\",\"resourceVersion\":\"42\","
          + "\"annotations\":{\"services.k8s.aws/region\":\"eu-west-1\"},"
          + "\"finalizers\":[\"finalizers.s3.services.k8s.aws/Bucket\"],"
          + "\"managedFields\":[{\"manager\":\"kubectl-client-side-apply\",\"operation\":\"Update\","
          + "\"apiVersion\":\"s3.services.k8s.aws/v1alpha1\",\"fieldsType\":\"FieldsV1\","
          + "\"fieldsV1\":{\"f:spec\":{\"f:name\":{}}}}]},"
          + "\"spec\":{\"name\":\"logs\"}}";

  @Test
  void objectsAreReadWithoutTheirManagedFieldsAndEverythingElse() {
    Bucket bucket = KubernetesClients.SERIALIZATION.unmarshal(BUCKET, Bucket.class);
    assertThat(bucket.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(bucket.getMetadata().getName()).isEqualTo("logs");
    assertThat(bucket.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(bucket.getMetadata().getAnnotations())
        .containsEntry("services.k8s.aws/region", "eu-west-1");
    assertThat(bucket.getMetadata().getFinalizers())
        .containsExactly("finalizers.s3.services.k8s.aws/Bucket");
    assertThat(bucket.getSpec().getName()).isEqualTo("logs");
  }

  @Test
  void writesCarryNoManagedFieldsSoTheApiServerKeepsItsRecord() {
    Bucket bucket = KubernetesClients.SERIALIZATION.unmarshal(BUCKET, Bucket.class);
    bucket
        .getMetadata()
        .setManagedFields(
            java.util.List.of(new ManagedFieldsEntryBuilder().withManager("someone").build()));
    String written = KubernetesClients.SERIALIZATION.asJson(bucket);
    assertThat(written).doesNotContain("managedFields").contains("\"resourceVersion\":\"42\"");
  }
}
