package dev.jack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessUsageTest {

  @Test
  void cpuTimeIsUserPlusSystemCountedAfterACommandNameWithSpacesAndParentheses() {
    String stat =
        "4242 (jack (java) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 1 2 3";
    assertThat(ProcessUsage.cpuSeconds(stat, 100)).isEqualTo(3.25);
  }

  @Test
  void memoryIsReadInKibFromTheStatusLines() {
    List<String> status = List.of("Name:\tjava", "VmHWM:\t  204800 kB", "VmRSS:\t  102400 kB");
    assertThat(ProcessUsage.kibOf(status, "VmRSS:")).isEqualTo(102400);
    assertThat(ProcessUsage.kibOf(status, "VmHWM:")).isEqualTo(204800);
  }

  @Test
  void theHarnessReadsItsOwnProcess() {
    ProcessUsage self = ProcessUsage.of(ProcessHandle.current().pid(), 100);
    assertThat(self.rssKiB()).isPositive();
    assertThat(self.peakRssKiB()).isGreaterThanOrEqualTo(self.rssKiB());
  }
}
