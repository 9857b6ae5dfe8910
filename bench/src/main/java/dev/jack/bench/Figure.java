package dev.jack.bench;

import java.util.Locale;

/**
 * One figure measured for jack and for ACK in the same run: the table's row. A side that was not
 * measured (ACK has no controller for it, or the scenario ran jack alone) is null and prints as an
 * em dash, never as a zero.
 */
public record Figure(String name, Double jack, Double ack, String unit) {

  /** jack's value over ACK's, or null when either is missing or ACK's is zero. */
  public Double ratio() {
    if (jack == null || ack == null || ack == 0) {
      return null;
    }
    return jack / ack;
  }

  /** The row's cells: the figure, jack, ACK, jack / ACK. */
  public String[] cells() {
    String label = unit.isEmpty() ? name : name + " (" + unit + ")";
    return new String[] {label, format(jack), format(ack), ratioText()};
  }

  private String ratioText() {
    Double ratio = ratio();
    return ratio == null ? "—" : String.format(Locale.ROOT, "%.2f", ratio);
  }

  /** Three significant digits at most, no exponent, no trailing zeros: 0.123, 12.3, 1234. */
  static String format(Double value) {
    if (value == null) {
      return "—";
    }
    double v = value;
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) v);
    }
    double magnitude = Math.abs(v);
    String text;
    if (magnitude >= 100) {
      text = String.format(Locale.ROOT, "%.0f", v);
    } else if (magnitude >= 10) {
      text = String.format(Locale.ROOT, "%.1f", v);
    } else if (magnitude >= 1) {
      text = String.format(Locale.ROOT, "%.2f", v);
    } else {
      text = String.format(Locale.ROOT, "%.3f", v);
    }
    if (text.contains(".")) {
      text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return text;
  }
}
