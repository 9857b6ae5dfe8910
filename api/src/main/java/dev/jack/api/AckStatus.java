package dev.jack.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/** What every kind's status has; each kind's generated status adds its own fields. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class AckStatus {

  @JsonProperty("ackResourceMetadata")
  private AckResourceMetadata ackResourceMetadata;

  @JsonProperty("conditions")
  private List<AckCondition> conditions = new ArrayList<>();

  public AckResourceMetadata getAckResourceMetadata() {
    return ackResourceMetadata;
  }

  public void setAckResourceMetadata(AckResourceMetadata ackResourceMetadata) {
    this.ackResourceMetadata = ackResourceMetadata;
  }

  public List<AckCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<AckCondition> conditions) {
    this.conditions = conditions;
  }
}
