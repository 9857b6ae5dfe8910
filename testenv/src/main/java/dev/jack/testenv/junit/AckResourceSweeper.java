package dev.jack.testenv.junit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Removes the ACK resources earlier test classes left, in every namespace, before the next class
 * starts.
 *
 * <p>The test API server runs no namespace controller, so a test's deleted namespace keeps its
 * resources forever, and the next class's controller would reconcile them: a leftover resource
 * whose AWS side moto's reset removed would be created again in the middle of another test. This
 * does what the namespace controller would, and, since the controller that could honour their
 * finalizers is gone with its class, clears those finalizers. moto's reset removes what they stood
 * for in AWS.
 */
final class AckResourceSweeper {

  private static final String ACK_GROUP_SUFFIX = "services.k8s.aws";

  private AckResourceSweeper() {}

  static void sweep(KubernetesClient client) {
    for (CustomResourceDefinition crd :
        client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
      if (crd.getSpec().getGroup().endsWith(ACK_GROUP_SUFFIX)) {
        sweep(client, CustomResourceDefinitionContext.fromCrd(crd));
      }
    }
  }

  private static void sweep(KubernetesClient client, CustomResourceDefinitionContext kind) {
    var all = client.genericKubernetesResources(kind);
    for (GenericKubernetesResource left : all.inAnyNamespace().list().getItems()) {
      var one =
          all.inNamespace(left.getMetadata().getNamespace()).withName(left.getMetadata().getName());
      // Deleting first: an object being deleted cannot gain a finalizer again.
      one.delete();
      try {
        one.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }
}
