package dev.jack.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The run's two plots, as PNG: resources synced over time in the burst (jack and ACK, per kind),
 * and calls, time to all synced and peak memory against the burst size N.
 */
final class Charts {

  /** One colour per controller in every subplot, so that one legend serves them all. */
  private static final Map<String, Color> CONTROLLER_COLOURS =
      new TreeMap<>(Map.of("jack", new Color(0x1f77b4), "ack", new Color(0xd62728)));

  private Charts() {}

  static void write(Results results, Path dir) {
    if (!results.sideBySide().isEmpty()) {
      save(syncedOverTime(results), dir.resolve("burst-synced-over-time.png"), 900, 520);
    }
    if (!results.scaling().isEmpty()) {
      save(againstN(results), dir.resolve("scaling.png"), 900, 900);
    }
  }

  private static JFreeChart syncedOverTime(Results results) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (SideBySideRun.Result run : results.sideBySide()) {
      run.burst()
          .kinds()
          .forEach(
              (kind, burst) -> {
                XYSeries series = new XYSeries(run.title() + ": " + kind + "s", false);
                series.add(0, 0);
                List<Double> times = burst.syncedAtSeconds();
                for (int i = 0; i < times.size(); i++) {
                  series.add(times.get(i).doubleValue(), i + 1);
                }
                data.addSeries(series);
              });
    }
    NumberAxis time = new NumberAxis("seconds since the apply started");
    NumberAxis synced = new NumberAxis("resources synced");
    XYPlot plot = new XYPlot(data, time, synced, new XYStepRenderer());
    for (int i = 0; i < data.getSeriesCount(); i++) {
      plot.getRenderer().setSeriesStroke(i, new BasicStroke(2f));
    }
    int n = results.settings().sizes().burst();
    return new JFreeChart(
        "Burst: " + n + " Buckets + " + n + " Queues applied at once, synced over time",
        JFreeChart.DEFAULT_TITLE_FONT,
        plot,
        true);
  }

  private static JFreeChart againstN(Results results) {
    LogAxis n = new LogAxis("resources in the burst (N per kind × kinds), log scale");
    n.setSmallestValue(1);
    n.setNumberFormatOverride(new DecimalFormat("0"));
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(n);
    LegendItemCollection legend = new LegendItemCollection();
    CONTROLLER_COLOURS.forEach(
        (controller, colour) -> {
          if (results.scaling().stream().anyMatch(p -> p.controller().equals(controller))) {
            legend.add(new LegendItem(controller, colour));
          }
        });
    plot.setFixedLegendItems(legend);
    plot.add(subplot(results, "AWS calls", p -> p.calls()), 1);
    plot.add(subplot(results, "seconds to all synced", ScalingRun.Point::allSyncedSeconds), 1);
    plot.add(subplot(results, "peak RSS (MiB)", ScalingRun.Point::peakRssMiB), 1);
    plot.add(subplot(results, "CPU seconds", ScalingRun.Point::cpuSeconds), 1);
    return new JFreeChart(
        "Calls, time, memory and CPU against the burst's size",
        JFreeChart.DEFAULT_TITLE_FONT,
        plot,
        true);
  }

  private static XYPlot subplot(
      Results results, String label, ToDoubleFunction<ScalingRun.Point> figure) {
    Map<String, XYSeries> byController = new TreeMap<>();
    for (ScalingRun.Point p : results.scaling()) {
      byController
          .computeIfAbsent(p.controller(), c -> new XYSeries(c, true))
          .add(p.resources(), figure.applyAsDouble(p));
    }
    XYSeriesCollection data = new XYSeriesCollection();
    byController.values().forEach(data::addSeries);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, CONTROLLER_COLOURS.get(data.getSeriesKey(i).toString()));
      renderer.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    return new XYPlot(data, null, new NumberAxis(label), renderer);
  }

  private static void save(JFreeChart chart, Path file, int width, int height) {
    try {
      ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
