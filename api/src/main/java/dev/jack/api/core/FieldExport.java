package dev.jack.api.core;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * ACK's FieldExport: copies one field of a resource of the same namespace (a queue's URL, a
 * bucket's ARN) into a ConfigMap or Secret, and keeps it current.
 */
@io.fabric8.kubernetes.model.annotation.Group("services.k8s.aws")
@io.fabric8.kubernetes.model.annotation.Version("v1alpha1")
@io.fabric8.kubernetes.model.annotation.Kind("FieldExport")
@io.fabric8.kubernetes.model.annotation.Plural("fieldexports")
public class FieldExport extends CustomResource<FieldExportSpec, FieldExportStatus>
    implements Namespaced {}
