package dev.jack.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code status.ackResourceMetadata}: the AWS identity of a resource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AckResourceMetadata {

  @JsonProperty("arn")
  private String arn;

  @JsonProperty("ownerAccountID")
  private String ownerAccountID;

  @JsonProperty("partition")
  private String partition;

  @JsonProperty("region")
  private String region;

  public String getArn() {
    return arn;
  }

  public void setArn(String arn) {
    this.arn = arn;
  }

  public String getOwnerAccountID() {
    return ownerAccountID;
  }

  public void setOwnerAccountID(String ownerAccountID) {
    this.ownerAccountID = ownerAccountID;
  }

  public String getPartition() {
    return partition;
  }

  public void setPartition(String partition) {
    this.partition = partition;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }
}
