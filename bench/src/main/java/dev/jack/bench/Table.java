package dev.jack.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A table printed as Markdown, its columns padded so that it reads in a terminal as well as in
 * {@code docs/performance.md}.
 */
public final class Table {

  private final String title;
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String title, List<String> header) {
    this.title = title;
    this.header = List.copyOf(header);
  }

  /** Adds a row; it must have one cell per column. */
  public Table row(List<String> cells) {
    if (cells.size() != header.size()) {
      throw new IllegalArgumentException(
          "a row of " + cells.size() + " cells in a table of " + header.size() + " columns");
    }
    rows.add(List.copyOf(cells));
    return this;
  }

  public Table row(String... cells) {
    return row(List.of(cells));
  }

  public String title() {
    return title;
  }

  public List<List<String>> rows() {
    return List.copyOf(rows);
  }

  /** The title as a heading, then the table. */
  public String render() {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = Math.max(3, header.get(i).length());
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder("### ").append(title).append("\n\n");
    line(out, header, widths);
    List<String> rule = new ArrayList<>();
    for (int width : widths) {
      rule.add("-".repeat(width));
    }
    line(out, rule, widths);
    rows.forEach(row -> line(out, row, widths));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells, int[] widths) {
    out.append('|');
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      out.append(' ').append(cell).append(" ".repeat(widths[i] - cell.length())).append(" |");
    }
    out.append('\n');
  }
}
