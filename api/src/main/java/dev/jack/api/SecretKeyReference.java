package dev.jack.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A value kept in a Kubernetes Secret instead of the spec (a password, a token): the key of the
 * Secret {@code name} in {@code namespace}, by default the resource's own namespace. jack reads it
 * when it sends the value to AWS, and never writes it anywhere else. ACK's {@code
 * SecretKeyReference}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyReference {

  @JsonProperty("name")
  private String name;

  @JsonProperty("namespace")
  private String namespace;

  @JsonProperty("key")
  private String key;

  public SecretKeyReference() {}

  public SecretKeyReference(String name, String key) {
    this.name = name;
    this.key = key;
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
