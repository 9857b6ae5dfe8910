package dev.jack.runtime;

/**
 * A problem with the desired state that no retry can fix, such as a change to an immutable field:
 * the resource gets ACK.Terminal with this message until its spec changes.
 */
public class TerminalException extends RuntimeException {

  public TerminalException(String message) {
    super(message);
  }
}
