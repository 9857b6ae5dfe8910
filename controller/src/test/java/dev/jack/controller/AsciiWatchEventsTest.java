package dev.jack.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.http.AsyncBody;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsciiWatchEventsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String EVENT =
      "{\"type\":\"ADDED\",\"object\":{\"data\":{\"de\":\"Grüße aus Köln\",\"ja\":\"日本語の説明\","
          + "\"emoji\":\"deploy 🚀 now\",\"plain\":\"a \\\"quoted\\\" \\\\ value\"}}}\n";

  /** What fabric8 does with each buffer: decodes it alone and appends its whole array. */
  private static String asFabric8Reads(List<ByteBuffer> buffers) {
    StringBuilder read = new StringBuilder();
    for (ByteBuffer buffer : buffers) {
      read.append(StandardCharsets.UTF_8.decode(buffer).array());
    }
    return read.toString();
  }

  private static List<ByteBuffer> escaped(byte[] bytes, int... cuts) throws Exception {
    List<ByteBuffer> out = new ArrayList<>();
    AsyncBody.Consumer<List<ByteBuffer>> escaping =
        new AsciiWatchEvents.Escaping((buffers, body) -> out.addAll(buffers));
    int from = 0;
    for (int cut : cuts) {
      escaping.consume(List.of(ByteBuffer.wrap(bytes, from, cut - from)), null);
      from = cut;
    }
    escaping.consume(List.of(ByteBuffer.wrap(bytes, from, bytes.length - from)), null);
    return out;
  }

  @Test
  void everyCutOfTheStreamReadsAsTheSameEvent() throws Exception {
    byte[] bytes = EVENT.getBytes(StandardCharsets.UTF_8);
    for (int cut = 1; cut < bytes.length; cut++) {
      String read = asFabric8Reads(escaped(bytes, cut));
      assertThat(read).as("cut at byte %d", cut).doesNotContain("\0");
      assertThat(read.chars()).as("cut at byte %d", cut).allMatch(c -> c < 0x80);
      assertThat(JSON.readTree(read)).as("cut at byte %d", cut).isEqualTo(JSON.readTree(EVENT));
    }
    // A buffer of one byte each: every character of three and four bytes is cut twice or more.
    int[] everyByte = new int[bytes.length - 1];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = i + 1;
    }
    assertThat(JSON.readTree(asFabric8Reads(escaped(bytes, everyByte))))
        .isEqualTo(JSON.readTree(EVENT));
  }

  @Test
  void withoutItFabric8ReadsNulsAndTheEventFailsToParse() {
    byte[] bytes = EVENT.getBytes(StandardCharsets.UTF_8);
    String read = asFabric8Reads(List.of(ByteBuffer.wrap(bytes)));
    assertThat(read).contains("\0");
  }

  @Test
  void anAsciiBufferPassesAsItIs() throws Exception {
    byte[] bytes = "{\"type\":\"MODIFIED\"}\n".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    List<ByteBuffer> out = new ArrayList<>();
    new AsciiWatchEvents.Escaping((buffers, body) -> out.addAll(buffers))
        .consume(List.of(buffer), null);
    assertThat(out).containsExactly(buffer);
  }

  @Test
  void whatIsNotUtf8ReadsAsTheReplacementCharacter() throws Exception {
    // A stray continuation byte, a character cut short by a quote, an overlong slash.
    byte[] bytes = {'"', (byte) 0x80, (byte) 0xe6, (byte) 0x97, '"', (byte) 0xc0, (byte) 0xaf, '"'};
    String read = asFabric8Reads(escaped(bytes));
    assertThat(read).isEqualTo("\"\\ufffd\\ufffd\"\\ufffd\"");
  }

  @Test
  void onlyWatchesAreEscaped() {
    assertThat(AsciiWatchEvents.isWatch(URI.create("https://k/api/v1/configmaps?watch=true")))
        .isTrue();
    assertThat(
            AsciiWatchEvents.isWatch(
                URI.create("https://k/apis/s3.services.k8s.aws/v1alpha1/buckets?a=b&watch=1")))
        .isTrue();
    assertThat(AsciiWatchEvents.isWatch(URI.create("https://k/api/v1/configmaps?limit=500")))
        .isFalse();
    assertThat(AsciiWatchEvents.isWatch(URI.create("https://k/api/v1/configmaps/watch=true")))
        .isFalse();
  }
}
