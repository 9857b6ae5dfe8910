package dev.jack.api.core;

import io.fabric8.kubernetes.client.CustomResource;

/**
 * ACK's IAMRoleSelector (cluster-scoped, behind the IAMRoleSelector feature gate): the IAM role
 * jack assumes for the resources it selects by namespace, kind and labels.
 */
@io.fabric8.kubernetes.model.annotation.Group("services.k8s.aws")
@io.fabric8.kubernetes.model.annotation.Version("v1alpha1")
@io.fabric8.kubernetes.model.annotation.Kind("IAMRoleSelector")
@io.fabric8.kubernetes.model.annotation.Plural("iamroleselectors")
public class IAMRoleSelector extends CustomResource<IAMRoleSelectorSpec, Void> {}
