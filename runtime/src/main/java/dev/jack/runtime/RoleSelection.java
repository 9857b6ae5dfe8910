package dev.jack.runtime;

import dev.jack.api.core.IAMRoleSelectorSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.List;
import java.util.Map;

/**
 * Whether an IAMRoleSelector selects a resource, as ACK decides it: every selector given must match
 * (an empty one matches everything), within a list any entry, within labels all of them.
 */
final class RoleSelection {

  private RoleSelection() {}

  static boolean matches(IAMRoleSelectorSpec spec, Namespace namespace, HasMetadata resource) {
    return namespace(spec.getNamespaceSelector(), namespace)
        && type(spec.getResourceTypeSelector(), resource)
        && labels(spec.getResourceLabelSelector(), resource.getMetadata().getLabels());
  }

  private static boolean namespace(
      IAMRoleSelectorSpec.NamespaceSelector selector, Namespace namespace) {
    if (selector == null) {
      return true;
    }
    List<String> names = selector.getNames();
    if (names != null && !names.isEmpty() && !names.contains(namespace.getMetadata().getName())) {
      return false;
    }
    return labels(selector.getLabelSelector(), namespace.getMetadata().getLabels());
  }

  private static boolean type(List<IAMRoleSelectorSpec.ResourceType> types, HasMetadata resource) {
    if (types == null || types.isEmpty()) {
      return true;
    }
    String apiVersion = HasMetadata.getApiVersion(resource.getClass());
    String group = HasMetadata.getGroup(resource.getClass());
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    String kind = HasMetadata.getKind(resource.getClass());
    return types.stream()
        .anyMatch(
            t ->
                any(t.getGroup(), group) && any(t.getVersion(), version) && any(t.getKind(), kind));
  }

  private static boolean any(String wanted, String actual) {
    return wanted == null || wanted.isEmpty() || wanted.equals(actual);
  }

  private static boolean labels(
      IAMRoleSelectorSpec.LabelSelector selector, Map<String, String> labels) {
    if (selector == null || selector.getMatchLabels() == null) {
      return true;
    }
    Map<String, String> present = labels == null ? Map.of() : labels;
    return selector.getMatchLabels().entrySet().stream()
        .allMatch(e -> e.getValue().equals(present.get(e.getKey())));
  }
}
