package dev.jack.testenv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a one-node cluster changes on the machine, as lines of text per aspect: the kernel settings
 * the kubelet and the CNI plugins write, the packet filter's tables, the cgroups, the mounts, the
 * network links, addresses and routes, and the files under the directories that the kubelet, the
 * CNI plugins and containerd use whatever their configuration says. Two snapshots compare line by
 * line, so a difference names exactly what is left; a snapshot is saved to a directory, so that a
 * later run can undo what a crashed one left behind.
 */
public record HostState(SortedMap<String, List<String>> aspects) {

  /**
   * The kernel settings the kubelet writes at start (its container manager: {@code
   * vm.overcommit_memory=1}, {@code kernel.panic=10}, {@code kernel.panic_on_oops=1}, ...) and
   * those a bridge network touches (forwarding, the bridge's netfilter calls).
   */
  static final List<String> SYSCTLS =
      List.of(
          "vm/overcommit_memory",
          "vm/panic_on_oom",
          "kernel/panic",
          "kernel/panic_on_oops",
          "kernel/keys/root_maxkeys",
          "kernel/keys/root_maxbytes",
          "net/ipv4/ip_forward",
          "net/ipv4/conf/all/route_localnet",
          "net/ipv6/conf/all/forwarding",
          "net/bridge/bridge-nf-call-iptables",
          "net/bridge/bridge-nf-call-ip6tables",
          "net/bridge/bridge-nf-call-arptables");

  /**
   * Directories outside its own that a node writes to: the kubelet's container log links ({@code
   * /var/log/containers} is fixed), the CNI plugins' result cache, containerd's shim sockets
   * ({@code /run/containerd/s}) and network namespaces ({@code /run/netns}), and the defaults of
   * what the cluster configures elsewhere (they must stay untouched).
   */
  static final List<Path> WATCHED_DIRECTORIES =
      Stream.of(
              "/var/lib/kubelet",
              "/var/lib/cni",
              "/var/lib/containerd",
              "/var/log/containers",
              "/var/log/pods",
              "/run/netns",
              "/run/containerd",
              "/run/runc",
              "/opt/containerd",
              "/etc/cni",
              "/etc/kubernetes")
          .map(Path::of)
          .toList();

  /** The filter's save commands, per backend and family, of those installed. */
  static final List<String> IPTABLES_SAVE =
      List.of("iptables-save", "ip6tables-save", "iptables-legacy-save", "ip6tables-legacy-save");

  /**
   * The cgroups a node creates at the top of each hierarchy: the kubelet's {@code kubepods} (the
   * cgroupfs driver, cgroup root {@code /}) and containerd's {@code k8s.io} namespace.
   */
  static final Set<String> CLUSTER_CGROUPS = Set.of("kubepods", "k8s.io");

  static final String SYSCTL = "sysctl";
  static final String CGROUPS = "cgroups";
  static final String MOUNTS = "mounts";
  static final String LINKS = "links";
  static final String ADDRESSES = "addresses";
  static final String ROUTES = "routes";
  static final String NFT_TABLES = "nft tables";
  static final String IPTABLES = "iptables ";
  static final String FILES = "files ";

  private static final Path PROC_SYS = Path.of("/proc/sys");
  static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

  public HostState {
    SortedMap<String, List<String>> copy = new TreeMap<>();
    aspects.forEach((aspect, lines) -> copy.put(aspect, List.copyOf(lines)));
    aspects = Collections.unmodifiableSortedMap(copy);
  }

  /** Reads the machine's state now. */
  public static HostState record() {
    SortedMap<String, List<String>> aspects = new TreeMap<>();
    aspects.put(SYSCTL, sysctls());
    aspects.put(CGROUPS, cgroups());
    aspects.put(MOUNTS, mounts());
    aspects.put(LINKS, HostCommand.lines("ip", "-o", "link", "show"));
    aspects.put(
        ADDRESSES,
        HostCommand.lines("ip", "-o", "address", "show").stream()
            .map(line -> line.replaceAll("\\\\?\\s+(valid|preferred)_lft \\S+", "").strip())
            .toList());
    List<String> routes = new ArrayList<>(HostCommand.lines("ip", "route", "show", "table", "all"));
    routes.addAll(HostCommand.lines("ip", "-6", "route", "show", "table", "all"));
    aspects.put(ROUTES, routes.stream().map(line -> line.replaceAll(" expires \\S+", "")).toList());
    if (HostCommand.exists("nft")) {
      aspects.put(NFT_TABLES, HostCommand.lines("nft", "list", "tables"));
    }
    for (String save : IPTABLES_SAVE) {
      if (HostCommand.exists(save)) {
        aspects.put(IPTABLES + save, iptables(save));
      }
    }
    for (Path dir : WATCHED_DIRECTORIES) {
      aspects.put(FILES + dir, files(dir));
    }
    return new HostState(aspects);
  }

  /**
   * What differs in {@code now} from this state, one line each: {@code aspect: - line} for what is
   * gone, {@code aspect: + line} for what is new; empty when the machine is as it was.
   */
  public List<String> differences(HostState now) {
    Set<String> names = new TreeSet<>(aspects.keySet());
    names.addAll(now.aspects.keySet());
    List<String> differences = new ArrayList<>();
    for (String aspect : names) {
      List<String> before = aspects.getOrDefault(aspect, List.of());
      List<String> after = now.aspects.getOrDefault(aspect, List.of());
      Set<String> gone = new LinkedHashSet<>(before);
      after.forEach(gone::remove);
      Set<String> added = new LinkedHashSet<>(after);
      before.forEach(added::remove);
      gone.forEach(line -> differences.add(aspect + ": - " + line));
      added.forEach(line -> differences.add(aspect + ": + " + line));
    }
    return differences;
  }

  /** The lines of one aspect ({@link #SYSCTL}, {@link #MOUNTS}, ...), empty when not recorded. */
  public List<String> lines(String aspect) {
    return aspects.getOrDefault(aspect, List.of());
  }

  /** Writes the state into {@code dir}, a file per aspect. */
  public void save(Path dir) {
    try {
      Files.createDirectories(dir);
      int i = 0;
      for (var aspect : aspects.entrySet()) {
        List<String> content = new ArrayList<>();
        content.add(aspect.getKey());
        content.addAll(aspect.getValue());
        Files.write(dir.resolve("aspect-" + i++), content, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the host's state into " + dir, e);
    }
  }

  /** Reads a state that {@link #save} wrote. */
  public static HostState load(Path dir) {
    SortedMap<String, List<String>> aspects = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().startsWith("aspect-")).toList()) {
        List<String> content = Files.readAllLines(file, StandardCharsets.UTF_8);
        aspects.put(content.get(0), content.subList(1, content.size()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the host's state from " + dir, e);
    }
    return new HostState(aspects);
  }

  private static List<String> sysctls() {
    Set<String> keys = new TreeSet<>(SYSCTLS);
    // Writing ip_forward sets every interface's forwarding: restoring it must put each back.
    for (String family : List.of("ipv4", "ipv6")) {
      try (Stream<Path> interfaces =
          Files.list(PROC_SYS.resolve("net").resolve(family).resolve("conf"))) {
        interfaces.forEach(
            i -> keys.add("net/" + family + "/conf/" + i.getFileName() + "/forwarding"));
      } catch (IOException e) {
        // No such family here.
      }
    }
    List<String> lines = new ArrayList<>();
    for (String key : keys) {
      Path file = PROC_SYS.resolve(key);
      if (Files.isReadable(file)) {
        try {
          // Files.readString trusts the size procfs reports, and reads one byte of "25000000".
          String value = String.join(" ", Files.readAllLines(file)).strip();
          lines.add(key + "=" + value.replaceAll("\\s+", " "));
        } catch (IOException e) {
          // Gone between listing and reading: an interface that was just deleted.
        }
      }
    }
    return lines;
  }

  /**
   * The cgroups at the top of every hierarchy, and everything under those the cluster creates
   * ({@link #CLUSTER_CGROUPS}), relative to {@code /sys/fs/cgroup}. Deeper cgroups of the machine's
   * own come and go as their owners run (a process supervisor's cgroup per command): they are not
   * the cluster's to compare or to remove.
   */
  private static List<String> cgroups() {
    List<String> cgroups = new ArrayList<>();
    for (Path hierarchy : cgroupHierarchies()) {
      try (Stream<Path> top = Files.list(hierarchy)) {
        for (Path cgroup :
            top.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
          if (CLUSTER_CGROUPS.contains(cgroup.getFileName().toString())) {
            cgroups.addAll(subtree(cgroup));
          } else {
            cgroups.add(CGROUP_ROOT.relativize(cgroup).toString());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list the cgroups of " + hierarchy, e);
      }
    }
    Collections.sort(cgroups);
    return cgroups;
  }

  /** The mount points of the cgroup file systems (one per v1 hierarchy, or the v2 one). */
  static List<Path> cgroupHierarchies() {
    List<Path> hierarchies = new ArrayList<>();
    for (String line : mounts()) {
      String[] fields = line.split(" - ", 2)[1].split(" ");
      if (fields[0].equals("cgroup") || fields[0].equals("cgroup2")) {
        hierarchies.add(HostRestorer.mountPoint(line));
      }
    }
    return hierarchies;
  }

  private static List<String> subtree(Path cgroup) {
    for (int attempt = 1; ; attempt++) {
      try (Stream<Path> walk = Files.walk(cgroup)) {
        return walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
            .map(p -> CGROUP_ROOT.relativize(p).toString())
            .toList();
      } catch (IOException | UncheckedIOException e) {
        // A cgroup removed while walking: read again.
        if (attempt == 5) {
          throw new IllegalStateException("cannot list the cgroups under " + cgroup, e);
        }
      }
    }
  }

  /** {@code /proc/self/mountinfo} without the mount and parent ids, which renumber. */
  private static List<String> mounts() {
    try {
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(line -> line.split(" ", 3)[2])
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
    }
  }

  /** The rules of every table, without counters and comments. */
  private static List<String> iptables(String save) {
    return HostCommand.lines(save).stream()
        .filter(line -> !line.startsWith("#"))
        .map(line -> line.replaceAll(" \\[\\d+:\\d+\\]$", ""))
        .toList();
  }

  /** {@code d path}, {@code f path}, {@code l path} for everything under {@code dir}. */
  private static List<String> files(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return List.of("absent");
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.sorted(Comparator.naturalOrder())
          .map(
              p ->
                  (Files.isSymbolicLink(p) ? "l " : Files.isDirectory(p) ? "d " : "f ")
                      + dir.relativize(p))
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of("unreadable: " + e.getMessage());
    }
  }
}
