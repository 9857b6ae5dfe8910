package dev.jack.runtime;

/** What an AWS call does for a resource; the {@code op_type} label of ACK's metrics. */
public enum OpType {
  CREATE,
  READ_ONE,
  READ_MANY,
  UPDATE,
  DELETE,
  /** An STS call for the controller's own identity or an assumed role's credentials. */
  IDENTITY
}
