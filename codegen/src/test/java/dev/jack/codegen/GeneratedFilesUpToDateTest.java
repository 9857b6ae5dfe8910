package dev.jack.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.testenv.Binaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fails the build when the committed generated files differ from what the generator writes now. */
class GeneratedFilesUpToDateTest {

  private static final Path SERVICES = Path.of("..", "services");

  @Test
  void committedOutputIsWhatTheGeneratorWrites() throws IOException {
    Generator generator = new Generator(SERVICES, Binaries.fromEnvironment().apiDocs());
    Map<Path, String> expected = generator.generate();

    List<String> stale = new ArrayList<>();
    for (Map.Entry<Path, String> file : expected.entrySet()) {
      Path onDisk = SERVICES.resolve(file.getKey());
      if (!Files.exists(onDisk)) {
        stale.add("missing: " + file.getKey());
      } else if (!Files.readString(onDisk).equals(file.getValue())) {
        stale.add("differs: " + file.getKey());
      }
    }
    for (Path existing : generator.existingOutput()) {
      if (!expected.containsKey(existing)) {
        stale.add("not generated any more: " + existing);
      }
    }

    assertThat(stale)
        .as("generated files are stale; run `make generate` and commit the result")
        .isEmpty();
  }
}
