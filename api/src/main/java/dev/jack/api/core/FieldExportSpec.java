package dev.jack.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** What to export ({@code from}) and where to ({@code to}), with ACK's field names. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FieldExportSpec {

  @JsonProperty("from")
  private Source from;

  @JsonProperty("to")
  private Target to;

  public Source getFrom() {
    return from;
  }

  public void setFrom(Source from) {
    this.from = from;
  }

  public Target getTo() {
    return to;
  }

  public void setTo(Target to) {
    this.to = to;
  }

  /** A field of a resource: a jq path ({@code .status.queueURL}) into the resource. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Source {

    @JsonProperty("path")
    private String path;

    @JsonProperty("resource")
    private Resource resource;

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public Resource getResource() {
      return resource;
    }

    public void setResource(Resource resource) {
      this.resource = resource;
    }
  }

  /** A resource of the FieldExport's namespace, by API group, kind and name. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Resource {

    @JsonProperty("group")
    private String group;

    @JsonProperty("kind")
    private String kind;

    @JsonProperty("name")
    private String name;

    public String getGroup() {
      return group;
    }

    public void setGroup(String group) {
      this.group = group;
    }

    public String getKind() {
      return kind;
    }

    public void setKind(String kind) {
      this.kind = kind;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }
  }

  /**
   * A ConfigMap or Secret ({@code kind} {@code configmap} or {@code secret}) and the key to write;
   * the key defaults to {@code <namespace>.<FieldExport name>}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Target {

    @JsonProperty("kind")
    private String kind;

    @JsonProperty("name")
    private String name;

    @JsonProperty("namespace")
    private String namespace;

    @JsonProperty("key")
    private String key;

    public String getKind() {
      return kind;
    }

    public void setKind(String kind) {
      this.kind = kind;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getNamespace() {
      return namespace;
    }

    public void setNamespace(String namespace) {
      this.namespace = namespace;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }
  }
}
