package dev.jack.testenv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostStateTest {

  private static HostState state(Map<String, List<String>> aspects) {
    return new HostState(new TreeMap<>(aspects));
  }

  @Test
  void differencesNameWhatIsGoneAndWhatIsNewPerAspect() {
    HostState before =
        state(
            Map.of(
                "sysctl", List.of("kernel/panic=1", "vm/overcommit_memory=0"),
                "links", List.of("1: lo: <LOOPBACK>")));
    HostState after =
        state(
            Map.of(
                "sysctl", List.of("kernel/panic=10", "vm/overcommit_memory=0"),
                "links", List.of("1: lo: <LOOPBACK>", "7: jack-cni0: <BROADCAST>"),
                "nft tables", List.of("table ip filter")));

    assertThat(before.differences(after))
        .containsExactly(
            "links: + 7: jack-cni0: <BROADCAST>",
            "nft tables: + table ip filter",
            "sysctl: - kernel/panic=1",
            "sysctl: + kernel/panic=10");
    assertThat(before.differences(before)).isEmpty();
  }

  @Test
  void aSavedStateLoadsAsItWas(@TempDir Path dir) {
    HostState state =
        state(
            Map.of(
                "files /var/lib/cni", List.of("absent"),
                "iptables iptables-save", List.of("*filter", ":INPUT ACCEPT", "COMMIT"),
                "mounts", List.of()));
    state.save(dir);
    assertThat(HostState.load(dir)).isEqualTo(state);
  }

  @Test
  void mountPointsDecodeMountinfoEscapes() {
    assertThat(
            HostRestorer.mountPoint(
                "0:45 / /var/lib/jack-node/kubelet/pods/a\\040b rw,relatime shared:1 - tmpfs tmpfs rw"))
        .isEqualTo(Path.of("/var/lib/jack-node/kubelet/pods/a b"));
  }

  @Test
  void imageNamesAreWhatTheKubeletResolves() {
    assertThat(OneNodeCluster.normalizedImageName("jack:v0.1.0"))
        .isEqualTo("docker.io/library/jack:v0.1.0");
    assertThat(OneNodeCluster.normalizedImageName("team/jack:1"))
        .isEqualTo("docker.io/team/jack:1");
    assertThat(OneNodeCluster.normalizedImageName("localhost/jack-pause:1"))
        .isEqualTo("localhost/jack-pause:1");
    assertThat(OneNodeCluster.normalizedImageName("registry.example:5000/jack:1"))
        .isEqualTo("registry.example:5000/jack:1");
  }
}
