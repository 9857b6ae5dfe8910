package dev.jack.testenv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the machine back as a {@link HostState} recorded it, undoing what a one-node cluster
 * changed: it ends the cluster's leftover processes (containerd's shims, the containers), unmounts
 * what the kubelet and containerd mounted, removes the cgroups, network links, filter tables and
 * files they added, and writes the kernel settings back. It touches only what is new since the
 * recording and belongs to the cluster (under its directories, its links' names, the kubelet's
 * cgroups), so a change someone else made meanwhile is left for the check to report, never undone.
 */
final class HostRestorer {

  private static final Logger LOG = LoggerFactory.getLogger(HostRestorer.class);
  private static final Pattern LINK_NAME = Pattern.compile("^\\d+: ([^:@ ]+)[@:]");
  private static final Duration PROCESS_EXIT_TIMEOUT = Duration.ofSeconds(20);

  private final HostState before;
  private final List<Path> ownedDirectories;
  private final List<String> ownedLinkPrefixes;

  /**
   * @param ownedDirectories the cluster's own directories: processes whose command line names one,
   *     and mounts under one, are the cluster's
   * @param ownedLinkPrefixes the names of the network links the cluster and its CNI plugins add
   */
  HostRestorer(HostState before, List<Path> ownedDirectories, List<String> ownedLinkPrefixes) {
    this.before = before;
    this.ownedDirectories = List.copyOf(ownedDirectories);
    this.ownedLinkPrefixes = List.copyOf(ownedLinkPrefixes);
  }

  /** Undoes everything it can; what it cannot is left for {@link HostState#differences}. */
  void restore() {
    endProcesses();
    unmount();
    removeCgroups();
    removeLinks();
    restoreFilter();
    restoreSysctls();
    removeFiles();
  }

  /** Ends the processes in the kubelet's new cgroups and those that name the cluster's dirs. */
  private void endProcesses() {
    Instant deadline = Instant.now().plus(PROCESS_EXIT_TIMEOUT);
    Set<Long> spared = new HashSet<>();
    for (ProcessHandle p = ProcessHandle.current(); p != null; p = p.parent().orElse(null)) {
      spared.add(p.pid());
    }
    while (true) {
      List<ProcessHandle> ours = new ArrayList<>();
      for (long pid : podProcesses()) {
        ProcessHandle.of(pid).ifPresent(ours::add);
      }
      ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().map(this::namesOwnedDirectory).orElse(false))
          .forEach(ours::add);
      ours.removeIf(p -> spared.contains(p.pid()) || !p.isAlive());
      if (ours.isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        LOG.warn("processes of the cluster still alive: {}", ours);
        return;
      }
      for (ProcessHandle process : ours) {
        LOG.debug("ending {} {}", process.pid(), process.info().commandLine().orElse("?"));
        process.destroyForcibly();
      }
      ManagedProcess.sleep(Duration.ofMillis(200));
    }
  }

  private boolean namesOwnedDirectory(String commandLine) {
    // A file in the dir, not a longer name that starts alike.
    return ownedDirectories.stream().anyMatch(dir -> commandLine.contains(dir + "/"));
  }

  /** The processes in new cgroups of the kubelet's ({@code kubepods}) or containerd's. */
  private List<Long> podProcesses() {
    List<Long> pids = new ArrayList<>();
    for (String cgroup : newCgroups()) {
      try {
        for (String line :
            Files.readAllLines(HostState.CGROUP_ROOT.resolve(cgroup).resolve("cgroup.procs"))) {
          if (!line.isBlank()) {
            pids.add(Long.parseLong(line.strip()));
          }
        }
      } catch (IOException e) {
        // Removed meanwhile.
      }
    }
    return pids;
  }

  /** Whether {@code cgroup} is in one of the kubelet's or containerd's, at a hierarchy's top. */
  private static boolean isClusterCgroup(String cgroup) {
    Path path = HostState.CGROUP_ROOT.resolve(cgroup);
    for (Path hierarchy : HostState.cgroupHierarchies()) {
      if (path.startsWith(hierarchy) && !path.equals(hierarchy)) {
        String top = hierarchy.relativize(path).getName(0).toString();
        return HostState.CLUSTER_CGROUPS.contains(top);
      }
    }
    return false;
  }

  /** The cluster's cgroups that are new since the recording. */
  private List<String> newCgroups() {
    Set<String> old = new HashSet<>(before.lines(HostState.CGROUPS));
    return HostState.record().lines(HostState.CGROUPS).stream()
        .filter(c -> !old.contains(c))
        .filter(HostRestorer::isClusterCgroup)
        .toList();
  }

  /** Unmounts the new mounts under the cluster's dirs and the node's, the innermost first. */
  private void unmount() {
    Set<String> old = new HashSet<>(before.lines(HostState.MOUNTS));
    for (int round = 0; round < 5; round++) {
      List<Path> mounts = new ArrayList<>();
      for (String line : HostState.record().lines(HostState.MOUNTS)) {
        Path point = mountPoint(line);
        if (!old.contains(line) && isOwned(point)) {
          mounts.add(point);
        }
      }
      if (mounts.isEmpty()) {
        return;
      }
      Collections.reverse(mounts);
      for (Path point : mounts) {
        if (!HostCommand.run("umount", point.toString()).succeeded()) {
          HostCommand.run("umount", "--lazy", point.toString());
        }
      }
    }
  }

  /** The mount point of a {@link HostState#MOUNTS} line, with mountinfo's octal escapes decoded. */
  static Path mountPoint(String line) {
    String escaped = line.split(" ")[2];
    Matcher octal = Pattern.compile("\\\\([0-7]{3})").matcher(escaped);
    return Path.of(octal.replaceAll(m -> String.valueOf((char) Integer.parseInt(m.group(1), 8))));
  }

  private boolean isOwned(Path path) {
    return Stream.concat(ownedDirectories.stream(), HostState.WATCHED_DIRECTORIES.stream())
        .anyMatch(path::startsWith);
  }

  /**
   * Removes the new cgroups, the deepest first (a cgroup goes once its children and tasks have).
   */
  private void removeCgroups() {
    for (int round = 0; round < 10; round++) {
      List<String> cgroups = new ArrayList<>(newCgroups());
      if (cgroups.isEmpty()) {
        return;
      }
      cgroups.sort(Comparator.comparing((String c) -> c.split("/").length).reversed());
      for (String cgroup : cgroups) {
        try {
          Files.deleteIfExists(HostState.CGROUP_ROOT.resolve(cgroup));
        } catch (IOException e) {
          LOG.debug("cgroup {} not removed yet: {}", cgroup, e.toString());
        }
      }
      ManagedProcess.sleep(Duration.ofMillis(200));
    }
  }

  private void removeLinks() {
    Set<String> old = new HashSet<>();
    before.lines(HostState.LINKS).forEach(line -> linkName(line).ifPresent(old::add));
    for (String line : HostState.record().lines(HostState.LINKS)) {
      linkName(line)
          .filter(name -> !old.contains(name))
          .filter(name -> ownedLinkPrefixes.stream().anyMatch(name::startsWith))
          .ifPresent(name -> HostCommand.run("ip", "link", "delete", name));
    }
  }

  private static Optional<String> linkName(String line) {
    Matcher m = LINK_NAME.matcher(line);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * Writes back each filter table that changed, empties the new ones (iptables cannot delete a
   * table), then deletes the nftables tables that are new (the iptables-nft ones among them).
   */
  private void restoreFilter() {
    HostState now = HostState.record();
    for (String save : HostState.IPTABLES_SAVE) {
      String aspect = HostState.IPTABLES + save;
      if (!now.aspects().containsKey(aspect)) {
        continue;
      }
      Map<String, List<String>> was = tables(before.lines(aspect));
      Map<String, List<String>> is = tables(now.lines(aspect));
      StringBuilder input = new StringBuilder();
      for (var table : is.entrySet()) {
        List<String> old = was.get(table.getKey());
        if (old == null) {
          input.append('*').append(table.getKey()).append("\nCOMMIT\n");
        } else if (!old.equals(table.getValue())) {
          input.append(String.join("\n", old)).append('\n');
        }
      }
      if (!input.isEmpty()) {
        String restore = save.replace("-save", "-restore");
        HostCommand.run(input.toString(), List.of(restore)).orThrow();
      }
    }
    if (now.aspects().containsKey(HostState.NFT_TABLES)) {
      Set<String> old = new HashSet<>(before.lines(HostState.NFT_TABLES));
      // Emptying a table through iptables-nft may have deleted it already.
      for (String table : HostCommand.lines("nft", "list", "tables")) {
        if (!old.contains(table) && table.startsWith("table ")) {
          List<String> command = new ArrayList<>(List.of("nft", "delete"));
          command.addAll(List.of(table.split(" ")));
          HostCommand.run(null, command).orThrow();
        }
      }
    }
  }

  /** The tables of an {@code iptables-save} output, each from {@code *name} to {@code COMMIT}. */
  private static Map<String, List<String>> tables(List<String> lines) {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : lines) {
      if (line.startsWith("*")) {
        current = new ArrayList<>();
        tables.put(line.substring(1), current);
      }
      if (current != null) {
        current.add(line);
      }
    }
    return tables;
  }

  private void restoreSysctls() {
    Map<String, String> now = sysctlValues(HostState.record());
    Map<String, String> was = sysctlValues(before);
    // ip_forward first: writing it sets every interface's forwarding, which come after.
    List<String> keys = new ArrayList<>(was.keySet());
    keys.sort(Comparator.comparing((String k) -> !k.equals("net/ipv4/ip_forward")));
    for (String key : keys) {
      String value = was.get(key);
      if (now.containsKey(key) && !value.equals(now.get(key))) {
        try {
          Files.writeString(Path.of("/proc/sys").resolve(key), value);
        } catch (IOException e) {
          LOG.warn("cannot write {} back to {}: {}", key, value, e.toString());
        }
        now = sysctlValues(HostState.record());
      }
    }
  }

  private static Map<String, String> sysctlValues(HostState state) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : state.lines(HostState.SYSCTL)) {
      int eq = line.indexOf('=');
      values.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return values;
  }

  /** Removes what is new in the watched directories, and those that did not exist. */
  private void removeFiles() {
    List<Path> mounted =
        HostState.record().lines(HostState.MOUNTS).stream().map(HostRestorer::mountPoint).toList();
    for (Path dir : HostState.WATCHED_DIRECTORIES) {
      Set<String> old = new HashSet<>(before.lines(HostState.FILES + dir));
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      if (mounted.stream().anyMatch(m -> m.startsWith(dir))) {
        LOG.warn("{} still has mounts; its files stay", dir);
        continue;
      }
      boolean absent = old.contains("absent");
      try (Stream<Path> walk = Files.walk(dir)) {
        List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
        for (Path path : paths) {
          String relative = dir.relativize(path).toString();
          boolean known =
              !absent
                  && (old.contains("d " + relative)
                      || old.contains("f " + relative)
                      || old.contains("l " + relative));
          if (!known) {
            Files.deleteIfExists(path);
          }
        }
      } catch (IOException | UncheckedIOException e) {
        LOG.warn("cannot remove what the cluster left in {}: {}", dir, e.toString());
      }
    }
  }

  /** Deletes {@code dir} and everything in it, unless something is still mounted there. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> mounted =
        HostState.record().lines(HostState.MOUNTS).stream().map(HostRestorer::mountPoint).toList();
    if (mounted.stream().anyMatch(m -> m.startsWith(dir))) {
      throw new IllegalStateException(
          "not deleting "
              + dir
              + ": something is still mounted under it (see /proc/self/mountinfo)");
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
