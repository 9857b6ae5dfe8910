package dev.jack.controller;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP watch's events with every character beyond ASCII written as JSON's {@code \}{@code uXXXX}
 * escape, so that each byte of the stream is one character. fabric8 decodes an HTTP watch's stream
 * one network buffer at a time and appends the whole array of each decoded buffer to the event,
 * unused end included: after a character of two to four bytes, NUL characters, and a character cut
 * between two buffers, garbled; every event after that failed to parse and the watch broke
 * (WatchEncodingIT). The events mean the same: JSON allows characters beyond ASCII only within
 * strings, where the escape stands for the same character. Other requests pass untouched.
 */
final class AsciiWatchEvents implements Interceptor {

  static final String NAME = "jack-ascii-watch-events";

  @Override
  public AsyncBody.Consumer<List<ByteBuffer>> consumer(
      AsyncBody.Consumer<List<ByteBuffer>> consumer, HttpRequest request) {
    return isWatch(request.uri()) ? new Escaping(consumer) : consumer;
  }

  /** Whether {@code uri} asks for a watch ({@code watch=true}, or {@code 1}). */
  static boolean isWatch(URI uri) {
    String query = uri.getRawQuery();
    if (query == null) {
      return false;
    }
    for (String parameter : query.split("&")) {
      if (parameter.equals("watch=true") || parameter.equals("watch=1")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Escapes a stream's characters beyond ASCII; a character cut between two buffers is kept until
   * its last byte arrives. What is not UTF-8 (a byte that begins or continues no character, a
   * character cut short or written longer than it needs) stands for U+FFFD, as a decoder reads it.
   */
  static final class Escaping implements AsyncBody.Consumer<List<ByteBuffer>> {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** The least code point of a character of so many bytes: a longer form is not UTF-8. */
    private static final int[] SHORTEST = {0, 0, 0x80, 0x800, 0x10000};

    private final AsyncBody.Consumer<List<ByteBuffer>> next;

    /** The character being read: its code point so far, its bytes, and how many more it needs. */
    private int codePoint;

    private int length;

    private int missing;

    Escaping(AsyncBody.Consumer<List<ByteBuffer>> next) {
      this.next = next;
    }

    @Override
    public void consume(List<ByteBuffer> buffers, AsyncBody body) throws Exception {
      List<ByteBuffer> escaped = new ArrayList<>(buffers.size());
      for (ByteBuffer buffer : buffers) {
        escaped.add(escape(buffer));
      }
      next.consume(escaped, body);
    }

    @Override
    public <U> U unwrap(Class<U> target) {
      return next.unwrap(target);
    }

    /** {@code in} itself when it is all ASCII and no character is cut before it. */
    ByteBuffer escape(ByteBuffer in) {
      if (missing == 0 && ascii(in)) {
        return in;
      }
      StringBuilder out = new StringBuilder(in.remaining() + 16);
      for (int i = in.position(); i < in.limit(); i++) {
        int b = in.get(i) & 0xff;
        if (missing > 0) {
          if ((b & 0xc0) == 0x80) {
            codePoint = (codePoint << 6) | (b & 0x3f);
            if (--missing == 0) {
              appendEscaped(out, codePoint >= SHORTEST[length] ? codePoint : 0xfffd);
            }
            continue;
          }
          // The character ended early: it was not UTF-8; this byte begins the next.
          missing = 0;
          appendEscaped(out, 0xfffd);
        }
        if (b < 0x80) {
          out.append((char) b);
        } else if ((b & 0xe0) == 0xc0) {
          codePoint = b & 0x1f;
          length = 2;
          missing = 1;
        } else if ((b & 0xf0) == 0xe0) {
          codePoint = b & 0x0f;
          length = 3;
          missing = 2;
        } else if ((b & 0xf8) == 0xf0) {
          codePoint = b & 0x07;
          length = 4;
          missing = 3;
        } else {
          appendEscaped(out, 0xfffd);
        }
      }
      byte[] bytes = new byte[out.length()];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) out.charAt(i);
      }
      return ByteBuffer.wrap(bytes);
    }

    private static boolean ascii(ByteBuffer in) {
      for (int i = in.position(); i < in.limit(); i++) {
        if (in.get(i) < 0) {
          return false;
        }
      }
      return true;
    }

    private static void appendEscaped(StringBuilder out, int codePoint) {
      if (!Character.isValidCodePoint(codePoint)
          || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
        codePoint = 0xfffd;
      }
      for (char c : Character.toChars(codePoint)) {
        out.append('\\').append('u');
        for (int shift = 12; shift >= 0; shift -= 4) {
          out.append(HEX[(c >> shift) & 0xf]);
        }
      }
    }
  }
}
