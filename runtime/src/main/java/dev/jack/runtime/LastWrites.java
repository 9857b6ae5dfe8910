package dev.jack.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-after-write for the resources a reconciler writes.
 *
 * <p>JOSDK hands a reconcile the resource as its informer last saw it, and the informer can lag
 * behind what the previous reconcile wrote: the identifiers of a create, the adopted mark, a
 * condition. A status written from that older copy would undo those writes (the server-side apply
 * of the status replaces the conditions), and an older copy without the identifiers reads as a
 * resource jack does not manage. So this remembers the resourceVersion of each resource's last
 * write, and a reconcile handed another version reads the resource from the API server first (a
 * quorum read: never older than the write). Once the informer shows the version written, the entry
 * goes: the map holds only the writes the informer has not shown yet, and the extra read happens
 * only then, or after someone else changed the resource.
 */
final class LastWrites {
  private final Map<String, String> versions = new ConcurrentHashMap<>();

  /**
   * Brings {@code resource} up to at least jack's last write of it, in place (JOSDK keeps the
   * instance it handed over, for the error handler).
   */
  @SuppressWarnings("unchecked")
  <R extends CustomResource<?, ?>> void catchUp(R resource, KubernetesClient client) {
    String uid = resource.getMetadata().getUid();
    String written = versions.get(uid);
    if (written == null) {
      return;
    }
    if (written.equals(resource.getMetadata().getResourceVersion())) {
      versions.remove(uid, written);
      return;
    }
    R fresh = client.resource(resource).get();
    if (fresh == null) {
      versions.remove(uid);
      return;
    }
    CustomResource<Object, Object> target = (CustomResource<Object, Object>) resource;
    target.setMetadata(fresh.getMetadata());
    target.setSpec(fresh.getSpec());
    target.setStatus(fresh.getStatus());
    versions.put(uid, fresh.getMetadata().getResourceVersion());
  }

  /** Records a write's answer: the resource as the API server now has it. */
  void wrote(HasMetadata written) {
    versions.put(written.getMetadata().getUid(), written.getMetadata().getResourceVersion());
  }

  /** The resource is gone (its finalizer released): nothing more to remember. */
  void forget(HasMetadata resource) {
    versions.remove(resource.getMetadata().getUid());
  }
}
