package dev.jack.runtime;

import java.util.Locale;

/** Whether deleting a resource deletes the AWS resource or keeps it. */
public enum DeletionPolicy {
  DELETE,
  RETAIN;

  public static DeletionPolicy parse(String value, String where) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new TerminalException(where + " must be 'delete' or 'retain', not '" + value + "'");
    }
  }
}
