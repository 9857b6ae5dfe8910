package dev.jack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void rendersAMarkdownTableWithPaddedColumns() {
    Table table = new Table("burst", java.util.List.of("figure", "jack", "ACK", "jack / ACK"));
    table.row(new Figure("all synced", 12.34, 61.7, "s").cells());
    table.row(new Figure("SQS calls per Queue", 6.0, null, "").cells());
    assertThat(table.render())
        .isEqualTo(
            """
            ### burst

            | figure              | jack | ACK  | jack / ACK |
            | ------------------- | ---- | ---- | ---------- |
            | all synced (s)      | 12.3 | 61.7 | 0.20       |
            | SQS calls per Queue | 6    | —    | —          |
            """);
  }

  @Test
  void aRowMustFillEveryColumn() {
    Table table = new Table("t", java.util.List.of("a", "b"));
    assertThatThrownBy(() -> table.row("only one")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void figuresKeepThreeSignificantDigitsAndNoTrailingZeros() {
    assertThat(Figure.format(1234.0)).isEqualTo("1234");
    assertThat(Figure.format(123.456)).isEqualTo("123");
    assertThat(Figure.format(12.0)).isEqualTo("12");
    assertThat(Figure.format(12.34)).isEqualTo("12.3");
    assertThat(Figure.format(1.5)).isEqualTo("1.5");
    assertThat(Figure.format(0.1234)).isEqualTo("0.123");
    assertThat(Figure.format(0.0)).isEqualTo("0");
    assertThat(Figure.format(null)).isEqualTo("—");
  }

  @Test
  void aRatioNeedsBothSidesAndANonZeroDenominator() {
    assertThat(new Figure("x", 1.0, 4.0, "").ratio()).isEqualTo(0.25);
    assertThat(new Figure("x", 1.0, null, "").ratio()).isNull();
    assertThat(new Figure("x", 1.0, 0.0, "").ratio()).isNull();
  }
}
