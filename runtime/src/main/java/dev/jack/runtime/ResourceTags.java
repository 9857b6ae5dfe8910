package dev.jack.runtime;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tags jack adds to everything it creates, as ACK's {@code --resource-tags} configures them:
 * {@code key=value} entries, comma separated, whose values may hold placeholders that are expanded
 * for each resource.
 *
 * <p>Placeholders: {@code %CONTROLLER_SERVICE%} (the service, {@code s3}), {@code
 * %CONTROLLER_VERSION%}, {@code %K8S_NAMESPACE%}, {@code %K8S_RESOURCE_NAME%}, {@code
 * %K8S_RESOURCE_KIND%}, and, as ACK's newer charts pass them, {@code %MANAGED_BY%} and {@code
 * %KRO_VERSION%}: the resource's labels {@code app.kubernetes.io/managed-by} and {@code
 * kro.run/kro-version}. Like ACK, an entry that is not exactly {@code key=value} with both sides
 * non-empty is skipped, and so is a tag whose value expands to nothing (a label the resource
 * lacks).
 */
public final class ResourceTags {

  /** ACK's default {@code --resource-tags}. */
  public static final String ACK_DEFAULT =
      "services.k8s.aws/controller-version=%CONTROLLER_SERVICE%-%CONTROLLER_VERSION%,"
          + "services.k8s.aws/namespace=%K8S_NAMESPACE%";

  /** What ACK writes for {@code %CONTROLLER_VERSION%} when the build has no version. */
  static final String UNKNOWN_VERSION = "unknown";

  static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  static final String KRO_VERSION_LABEL = "kro.run/kro-version";

  private final Map<String, String> templates;
  private final List<String> skipped;

  private ResourceTags(Map<String, String> templates, List<String> skipped) {
    this.templates = templates;
    this.skipped = skipped;
  }

  /** ACK's defaults: the controller's service and version, and the resource's namespace. */
  public static ResourceTags defaults() {
    return parse(ACK_DEFAULT);
  }

  /** No tags ({@code --resource-tags ""}). */
  public static ResourceTags none() {
    return parse("");
  }

  /** Parses ACK's form, {@code key=value,key=value}; never fails (ACK skips bad entries). */
  public static ResourceTags parse(String value) {
    Map<String, String> templates = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    for (String entry : value == null ? new String[0] : value.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] keyValue = entry.split("=", -1);
      String key = keyValue.length == 2 ? keyValue[0].trim() : "";
      String template = keyValue.length == 2 ? keyValue[1].trim() : "";
      if (key.isEmpty() || template.isEmpty()) {
        skipped.add(entry.trim());
        continue;
      }
      templates.put(key, template);
    }
    return new ResourceTags(Collections.unmodifiableMap(templates), List.copyOf(skipped));
  }

  /** The tags of one resource, placeholders expanded; tags that expand to nothing are left out. */
  public Map<String, String> expand(String service, String version, String kind, ObjectMeta meta) {
    Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("%CONTROLLER_SERVICE%", service);
    values.put(
        "%CONTROLLER_VERSION%", version == null || version.isEmpty() ? UNKNOWN_VERSION : version);
    values.put("%K8S_NAMESPACE%", meta.getNamespace());
    values.put("%K8S_RESOURCE_NAME%", meta.getName());
    values.put("%K8S_RESOURCE_KIND%", kind);
    values.put("%MANAGED_BY%", labels.get(MANAGED_BY_LABEL));
    values.put("%KRO_VERSION%", labels.get(KRO_VERSION_LABEL));
    Map<String, String> tags = new LinkedHashMap<>();
    templates.forEach(
        (key, template) -> {
          String expanded = template;
          for (Map.Entry<String, String> value : values.entrySet()) {
            String replacement = value.getValue() == null ? "" : value.getValue();
            expanded = expanded.replace(value.getKey(), replacement);
          }
          if (!expanded.isEmpty()) {
            tags.put(key, expanded);
          }
        });
    return tags;
  }

  /** The tag keys and their unexpanded values. */
  public Map<String, String> templates() {
    return templates;
  }

  /** The entries that were skipped as not {@code key=value}, to warn about at start-up. */
  public List<String> skipped() {
    return skipped;
  }

  @Override
  public String toString() {
    return templates.toString();
  }
}
