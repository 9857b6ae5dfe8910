package dev.jack.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A {@code xxxRef} field: names another resource in the cluster whose identifier becomes the value
 * of {@code xxx} once that resource is synced.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceReference {

  @JsonProperty("from")
  private Target from;

  public Target getFrom() {
    return from;
  }

  public void setFrom(Target from) {
    this.from = from;
  }

  /** The referenced resource; its namespace defaults to the referring resource's. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Target {

    @JsonProperty("name")
    private String name;

    @JsonProperty("namespace")
    private String namespace;

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
  }
}
