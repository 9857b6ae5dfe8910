package dev.jack.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The two kinds of the side-by-side, as ACK's manifests write them: moto serves both well, and
 * ACK's controller of each is the one a user would compare jack with.
 */
enum Kind {
  BUCKET("s3", "Bucket", "buckets"),
  QUEUE("sqs", "Queue", "queues");

  private final String service;
  private final String kind;
  private final String plural;

  Kind(String service, String kind, String plural) {
    this.service = service;
    this.kind = kind;
    this.plural = plural;
  }

  String service() {
    return service;
  }

  String kindName() {
    return kind;
  }

  String apiVersion() {
    return group() + "/v1alpha1";
  }

  private String group() {
    return service + ".services.k8s.aws";
  }

  ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group())
        .withVersion("v1alpha1")
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  /** A new resource of this kind whose AWS name is its Kubernetes name. */
  GenericKubernetesResource manifest(String namespace, String name) {
    GenericKubernetesResource resource = new GenericKubernetesResource();
    resource.setApiVersion(apiVersion());
    resource.setKind(kind);
    resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    Map<String, Object> spec = new HashMap<>();
    spec.put(this == BUCKET ? "name" : "queueName", name);
    resource.setAdditionalProperty("spec", spec);
    return resource;
  }

  /**
   * The spec change the churn applies: a bucket's versioning enabled, a queue's visibility timeout
   * raised. Each is one write in AWS that a user would see.
   */
  @SuppressWarnings("unchecked")
  void change(GenericKubernetesResource resource) {
    Map<String, Object> spec = (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    if (this == BUCKET) {
      spec.put("versioning", Map.of("status", "Enabled"));
    } else {
      spec.put("visibilityTimeout", CHANGED_VISIBILITY_TIMEOUT);
    }
  }

  static final String CHANGED_VISIBILITY_TIMEOUT = "45";
}
