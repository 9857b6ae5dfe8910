package dev.jack.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a Kubernetes label selector in its string form ({@code app=foo,env in (a,b),!legacy}), as
 * the API server parses it: a bad {@code --watch-selectors} is then reported at start-up, not by
 * every informer's list call.
 */
public final class LabelSelectors {

  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
  private static final String OPERATORS = "!=<>(),";

  private final List<String> tokens;
  private int next;

  private LabelSelectors(List<String> tokens) {
    this.tokens = tokens;
  }

  /**
   * The selector, trimmed; null for an empty one (everything).
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static String check(String selector) {
    if (selector == null || selector.isBlank()) {
      return null;
    }
    new LabelSelectors(tokens(selector)).requirements();
    return selector.trim();
  }

  /** Words, and the operators {@code ! = == != < > ( ) ,}; whitespace only separates. */
  private static List<String> tokens(String selector) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < selector.length()) {
      char c = selector.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if ((c == '!' || c == '=')
          && i + 1 < selector.length()
          && selector.charAt(i + 1) == '=') {
        tokens.add(selector.substring(i, i + 2));
        i += 2;
      } else if (OPERATORS.indexOf(c) >= 0) {
        tokens.add(String.valueOf(c));
        i++;
      } else {
        int start = i;
        while (i < selector.length()
            && !Character.isWhitespace(selector.charAt(i))
            && OPERATORS.indexOf(selector.charAt(i)) < 0) {
          i++;
        }
        tokens.add(selector.substring(start, i));
      }
    }
    return tokens;
  }

  private void requirements() {
    while (true) {
      requirement();
      if (atEnd()) {
        return;
      }
      expect(",");
    }
  }

  private void requirement() {
    if (accept("!")) {
      key(word("a key after '!'"));
      return;
    }
    String key = word("a key");
    key(key);
    if (atEnd() || peek(",")) {
      return;
    }
    String operator = tokens.get(next++);
    switch (operator) {
      case "=", "==", "!=" -> value(atEnd() || peek(",") ? "" : word("a value"));
      case ">", "<" -> {
        String number = word("a number after '" + operator + "'");
        if (!INTEGER.matcher(number).matches()) {
          throw new IllegalArgumentException(
              "'" + key + operator + number + "': " + operator + " takes an integer");
        }
      }
      case "in", "notin" -> values();
      default ->
          throw new IllegalArgumentException(
              "after the key '"
                  + key
                  + "', expected =, ==, !=, in, notin, < or >, not '"
                  + operator
                  + "'");
    }
  }

  /** {@code (a, b, c)}; values may be empty, as the API server allows. */
  private void values() {
    expect("(");
    while (true) {
      if (accept(")")) {
        return;
      }
      if (!peek(",")) {
        value(word("a value or ')'"));
      }
      if (accept(")")) {
        return;
      }
      if (!accept(",")) {
        throw new IllegalArgumentException(
            "expected ',' or ')'" + (atEnd() ? " at the end" : ", not '" + tokens.get(next) + "'"));
      }
    }
  }

  /** A qualified name: an optional DNS subdomain prefix and '/', then a name of 63 or fewer. */
  private static void key(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        throw new IllegalArgumentException(
            "the key '" + key + "' has a prefix that is not a DNS subdomain");
      }
    }
    if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "the key '"
              + key
              + "' is not a label name (63 or fewer letters, digits, '-', '_' or '.', starting"
              + " and ending with a letter or digit)");
    }
  }

  private static void value(String value) {
    if (!value.isEmpty() && (value.length() > 63 || !NAME.matcher(value).matches())) {
      throw new IllegalArgumentException(
          "the value '"
              + value
              + "' is not a label value (63 or fewer letters, digits, '-', '_' or '.', starting"
              + " and ending with a letter or digit)");
    }
  }

  private String word(String what) {
    if (atEnd()) {
      throw new IllegalArgumentException("expected " + what + " at the end");
    }
    String token = tokens.get(next);
    if (isOperator(token)) {
      throw new IllegalArgumentException("expected " + what + ", not '" + token + "'");
    }
    next++;
    return token;
  }

  private static boolean isOperator(String token) {
    return token.equals("==") || token.equals("!=") || OPERATORS.contains(token);
  }

  private void expect(String token) {
    if (!accept(token)) {
      throw new IllegalArgumentException(
          "expected '"
              + token
              + "'"
              + (atEnd() ? " at the end" : ", not '" + tokens.get(next) + "'"));
    }
  }

  private boolean accept(String token) {
    if (peek(token)) {
      next++;
      return true;
    }
    return false;
  }

  private boolean peek(String token) {
    return !atEnd() && tokens.get(next).equals(token);
  }

  private boolean atEnd() {
    return next >= tokens.size();
  }
}
