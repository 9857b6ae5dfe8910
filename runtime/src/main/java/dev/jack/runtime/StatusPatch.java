package dev.jack.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;

/**
 * Writes a resource's whole status, as jack computed it, in one JSON patch ({@code add /status}:
 * the status is replaced, members jack no longer sets go).
 *
 * <p>Not a server-side apply: an apply is checked field by field against the installed CRD, and one
 * field the schema lacks makes the API server refuse the whole write. ACK's own CRDs, which a team
 * migrating from ACK may keep installed, lack fields jack writes (a condition's {@code
 * observedGeneration}; status fields of newer AWS models); a JSON patch has them pruned by the API
 * server instead, silently ({@code fieldValidation=Ignore}), and everything else is written. The
 * patch carries no resourceVersion, so a change of the resource during the reconcile (an
 * annotation, a spec edit) does not make it fail; jack is the only writer of the status.
 */
final class StatusPatch {

  private StatusPatch() {}

  /** Replaces the status of {@code resource} with {@code status}; the API server's answer. */
  static <R extends HasMetadata> R write(KubernetesClient client, R resource, Object status) {
    String patch =
        client
            .getKubernetesSerialization()
            .asJson(List.of(Map.of("op", "add", "path", "/status", "value", status)));
    return client
        .resource(resource)
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.JSON)
                .withFieldManager(AwsResourceReconciler.FIELD_MANAGER)
                .withFieldValidation("Ignore")
                .build(),
            patch);
  }
}
