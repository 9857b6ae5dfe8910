package dev.jack.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The role and what it applies to, with ACK's field names: every selector given must match (an
 * empty one matches everything); within a list, any entry.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IAMRoleSelectorSpec {

  @JsonProperty("arn")
  private String arn;

  @JsonProperty("namespaceSelector")
  private NamespaceSelector namespaceSelector;

  @JsonProperty("resourceLabelSelector")
  private LabelSelector resourceLabelSelector;

  @JsonProperty("resourceTypeSelector")
  private List<ResourceType> resourceTypeSelector;

  public String getArn() {
    return arn;
  }

  public void setArn(String arn) {
    this.arn = arn;
  }

  public NamespaceSelector getNamespaceSelector() {
    return namespaceSelector;
  }

  public void setNamespaceSelector(NamespaceSelector namespaceSelector) {
    this.namespaceSelector = namespaceSelector;
  }

  public LabelSelector getResourceLabelSelector() {
    return resourceLabelSelector;
  }

  public void setResourceLabelSelector(LabelSelector resourceLabelSelector) {
    this.resourceLabelSelector = resourceLabelSelector;
  }

  public List<ResourceType> getResourceTypeSelector() {
    return resourceTypeSelector;
  }

  public void setResourceTypeSelector(List<ResourceType> resourceTypeSelector) {
    this.resourceTypeSelector = resourceTypeSelector;
  }

  /** Namespaces by name (any of them) and labels (all of them). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NamespaceSelector {

    @JsonProperty("names")
    private List<String> names;

    @JsonProperty("labelSelector")
    private LabelSelector labelSelector;

    public List<String> getNames() {
      return names;
    }

    public void setNames(List<String> names) {
      this.names = names;
    }

    public LabelSelector getLabelSelector() {
      return labelSelector;
    }

    public void setLabelSelector(LabelSelector labelSelector) {
      this.labelSelector = labelSelector;
    }
  }

  /** Labels that must all be present with these values. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LabelSelector {

    @JsonProperty("matchLabels")
    private Map<String, String> matchLabels;

    public Map<String, String> getMatchLabels() {
      return matchLabels;
    }

    public void setMatchLabels(Map<String, String> matchLabels) {
      this.matchLabels = matchLabels;
    }
  }

  /** A kind; an empty member matches any group, version or kind. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ResourceType {

    @JsonProperty("group")
    private String group;

    @JsonProperty("version")
    private String version;

    @JsonProperty("kind")
    private String kind;

    public String getGroup() {
      return group;
    }

    public void setGroup(String group) {
      this.group = group;
    }

    public String getVersion() {
      return version;
    }

    public void setVersion(String version) {
      this.version = version;
    }

    public String getKind() {
      return kind;
    }

    public void setKind(String kind) {
      this.kind = kind;
    }
  }
}
