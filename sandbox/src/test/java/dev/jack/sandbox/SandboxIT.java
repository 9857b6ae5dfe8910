package dev.jack.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's run command as CI runs it: {@code Sandbox --once} brings up the API server, moto and
 * jack, applies the examples and the orders application, and exits 0 only when every example that
 * the emulator serves is synced, having shown the table and what exists in AWS.
 */
class SandboxIT {

  @Test
  void onceExitsZeroWhenEveryExampleIsSyncedAndShowsWhatExistsInAws() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      code = new Sandbox(Path.of("..").toAbsolutePath().normalize(), out).run(true);
    }
    String output = printed.toString(StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(code).as(output).isZero();
    assertThat(output)
        .contains("KIND")
        .contains("LAST EVENT")
        .containsPattern("\\d+ of \\d+ examples are synced with AWS")
        .contains("In AWS (read back from moto):")
        .containsPattern("SQS queues +.*orders")
        .doesNotContain("NOT SYNCED");
  }
}
