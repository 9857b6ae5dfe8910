package dev.jack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a process has used so far, read from Linux's {@code /proc}: CPU time (user and system, as
 * {@code /proc/<pid>/stat} counts it) and resident memory now and at its peak ({@code VmRSS},
 * {@code VmHWM} of {@code /proc/<pid>/status}).
 */
public record ProcessUsage(double cpuSeconds, long rssKiB, long peakRssKiB) {

  /** The usage of {@code pid} now; fails when the process is gone, as its figures would be. */
  public static ProcessUsage of(long pid, long clockTicksPerSecond) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      String stat = Files.readString(proc.resolve("stat"));
      List<String> status = Files.readAllLines(proc.resolve("status"));
      return new ProcessUsage(
          cpuSeconds(stat, clockTicksPerSecond), kibOf(status, "VmRSS:"), kibOf(status, "VmHWM:"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the usage of process " + pid, e);
    }
  }

  public double rssMiB() {
    return rssKiB / 1024.0;
  }

  public double peakRssMiB() {
    return peakRssKiB / 1024.0;
  }

  /**
   * utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line. The command name (field 2)
   * is in parentheses and may hold spaces, so the fields are counted after its closing one.
   */
  static double cpuSeconds(String stat, long clockTicksPerSecond) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks / (double) clockTicksPerSecond;
  }

  static long kibOf(List<String> status, String key) {
    for (String line : status) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no " + key + " in /proc/<pid>/status");
  }
}
