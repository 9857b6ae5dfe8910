package dev.jack.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One of {@code status.conditions}, with ACK's condition types. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AckCondition {

  public static final String READY = "Ready";
  public static final String RESOURCE_SYNCED = "ACK.ResourceSynced";
  public static final String TERMINAL = "ACK.Terminal";
  public static final String RECOVERABLE = "ACK.Recoverable";
  public static final String ADVISORY = "ACK.Advisory";
  public static final String LATE_INITIALIZED = "ACK.LateInitialized";
  public static final String REFERENCES_RESOLVED = "ACK.ReferencesResolved";
  public static final String ADOPTED = "ACK.Adopted";
  public static final String IAM_ROLE_SELECTED = "ACK.IAMRoleSelected";

  @JsonProperty("type")
  private String type;

  @JsonProperty("status")
  private String status;

  @JsonProperty("lastTransitionTime")
  private String lastTransitionTime;

  @JsonProperty("reason")
  private String reason;

  @JsonProperty("message")
  private String message;

  /** jack's own: the resource generation this condition was computed for (GitOps health checks). */
  @JsonProperty("observedGeneration")
  private Long observedGeneration;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
