package dev.jack.testenv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real one-node Kubernetes cluster on this machine: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, containerd with runc, and a kubelet whose node runs pods
 * on a bridge network, from images imported into containerd (no registry). It needs root.
 *
 * <p>A node changes the machine: the kubelet writes kernel settings, adds filter chains, cgroups
 * and mounts; the CNI plugins add a bridge; containerd adds network namespaces and sockets. The
 * cluster records the machine's state ({@link HostState}) before it starts anything, saves that
 * record under {@link #RUNTIME_DIR}, and on {@link #close()} (also from a shutdown hook, when the
 * JVM is interrupted) stops everything, puts the machine back and checks that it equals the record,
 * failing with the differences. A run that died without closing leaves its record behind: the next
 * start restores the machine from it first, or refuses with what it could not restore.
 *
 * <p>The node's address is {@link #NODE_ADDRESS} (TEST-NET-3) on a bridge of its own; pods get
 * TEST-NET-2 addresses. There is no kube-proxy and no DNS: one DNAT rule sends the {@code
 * kubernetes} Service's address to the API server, and {@link #reachableFromPods} exposes a
 * loopback server of the host (moto) on the node's address.
 */
public final class OneNodeCluster implements AutoCloseable {

  /** Where the cluster keeps its record of the machine, containerd's and the kubelet's data. */
  public static final Path RUNTIME_DIR = Path.of("/var/lib/jack-node");

  public static final String NODE_NAME = "jack-node";

  /** The node's address on the host (RFC 5737 TEST-NET-3): pods reach the host there. */
  public static final String NODE_ADDRESS = "203.0.113.1";

  /** The pods' addresses (RFC 5737 TEST-NET-2), on the CNI bridge {@link #POD_BRIDGE}. */
  static final String POD_SUBNET = "198.51.100.0/24";

  static final String NODE_LINK = "jack-node0";
  static final String POD_BRIDGE = "jack-cni0";

  /** The {@code kubernetes} Service's address: the first of KubeApiServer's service range. */
  static final String KUBERNETES_SERVICE_IP = "10.0.0.1";

  /** The pod sandbox image that testenv/install-node.sh builds. */
  static final String PAUSE_IMAGE = "localhost/jack-pause:1";

  /** Marks a work dir as a cluster's, which a later start may empty. */
  private static final String WORK_DIR_MARK = ".one-node-cluster";

  static final String INSTALL_HINT = "run testenv/install-node.sh (make node-test does)";

  private static final Logger LOG = LoggerFactory.getLogger(OneNodeCluster.class);
  private static final Duration NODE_READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path workDir;
  private final HostState before;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final Thread shutdownHook;
  private KubeApiServer kube;
  private Path containerdSocket;
  private Duration nodeReadyAfter;
  private boolean closed;

  private OneNodeCluster(Path workDir, HostState before) {
    this.workDir = workDir;
    this.before = before;
    this.shutdownHook = new Thread(this::closeFromHook, "restore-host");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts the cluster, its configuration, logs and etcd data under {@code workDir} (emptied first,
   * kept after close for debugging), and returns once the node is Ready.
   */
  public static OneNodeCluster start(Binaries binaries, Path workDir) {
    NodeBinaries node = NodeBinaries.find(binaries);
    restoreAfterCrashedRun();
    HostState before = HostState.record();
    refuseClashes(before);
    Path absoluteWorkDir = workDir.toAbsolutePath().normalize();
    // The last run's logs and etcd data go: the cluster starts empty.
    refuseForeignWorkDir(absoluteWorkDir);
    HostRestorer.deleteTree(absoluteWorkDir);
    try {
      Files.createDirectories(RUNTIME_DIR);
      Files.createDirectories(absoluteWorkDir);
      Files.writeString(absoluteWorkDir.resolve(WORK_DIR_MARK), "jack one-node cluster\n");
      before.save(RUNTIME_DIR.resolve("host-state"));
      ProcessHandle self = ProcessHandle.current();
      Files.writeString(
          RUNTIME_DIR.resolve("owner"),
          self.pid()
              + "\n"
              + self.info().startInstant().map(Instant::toString).orElse("")
              + "\n"
              + absoluteWorkDir
              + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + RUNTIME_DIR, e);
    }
    OneNodeCluster cluster = new OneNodeCluster(absoluteWorkDir, before);
    try {
      cluster.bringUp(binaries, node);
      return cluster;
    } catch (RuntimeException e) {
      try {
        cluster.close();
      } catch (RuntimeException restore) {
        e.addSuppressed(restore);
      }
      throw e;
    }
  }

  /** Where the node's programs are; each missing one fails with how to install it. */
  private record NodeBinaries(
      Path kubelet,
      Path controllerManager,
      Path scheduler,
      Path containerd,
      Path ctr,
      Path pauseImage) {

    static NodeBinaries find(Binaries binaries) {
      if (!"root".equals(System.getProperty("user.name"))) {
        throw new IllegalStateException(
            "a one-node cluster needs root (it runs a kubelet and containerd)");
      }
      Path bin = binaries.cacheDir().resolve("bin");
      NodeBinaries node =
          new NodeBinaries(
              bin.resolve("kubelet"),
              bin.resolve("kube-controller-manager"),
              bin.resolve("kube-scheduler"),
              Path.of("/usr/bin/containerd"),
              Path.of("/usr/bin/ctr"),
              binaries.cacheDir().resolve("node").resolve("pause.tar"));
      for (Path file :
          List.of(
              node.kubelet,
              node.controllerManager,
              node.scheduler,
              node.containerd,
              node.ctr,
              node.pauseImage,
              Path.of("/usr/lib/cni/bridge"))) {
        if (!Files.exists(file)) {
          throw new IllegalStateException(file + " is missing: " + INSTALL_HINT);
        }
      }
      for (String tool : List.of("runc", "iptables", "nft", "ip", "openssl")) {
        if (!HostCommand.exists(tool)) {
          throw new IllegalStateException(tool + " is missing: " + INSTALL_HINT);
        }
      }
      return node;
    }
  }

  /**
   * A run that died without closing left its record in {@link #RUNTIME_DIR}: restore the machine
   * from it, or refuse to start when that run is still alive or the machine cannot be restored.
   */
  private static void restoreAfterCrashedRun() {
    if (!Files.exists(RUNTIME_DIR)) {
      return;
    }
    Path owner = RUNTIME_DIR.resolve("owner");
    Path record = RUNTIME_DIR.resolve("host-state");
    List<String> lines;
    try {
      lines = Files.exists(owner) ? Files.readAllLines(owner) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (lines.size() < 3 || !Files.isDirectory(record)) {
      throw new IllegalStateException(
          RUNTIME_DIR
              + " exists but holds no record of the machine: check the machine by hand (mount,"
              + " iptables-save, ls /sys/fs/cgroup/*/kubepods), then delete it");
    }
    long pid = Long.parseLong(lines.get(0));
    String started = lines.get(1);
    Optional<ProcessHandle> other = ProcessHandle.of(pid);
    if (other.isPresent()
        && other.get().isAlive()
        && other.get().info().startInstant().map(Instant::toString).orElse("").equals(started)) {
      throw new IllegalStateException(
          "another one-node cluster is running (pid "
              + pid
              + ", its logs in "
              + lines.get(2)
              + "): only one node fits on a machine; wait for it or stop it");
    }
    LOG.warn(
        "a one-node cluster (pid {}) ended without restoring the machine: restoring it now from"
            + " the record it left in {}",
        pid,
        record);
    List<String> differences = restore(HostState.load(record), Path.of(lines.get(2)));
    if (!differences.isEmpty()) {
      throw new IllegalStateException(
          "a one-node cluster (pid "
              + pid
              + ") left the machine changed, and restoring it from its record in "
              + record
              + " left these differences (fix them by hand and start again, or delete "
              + RUNTIME_DIR
              + " to forget the record):\n"
              + String.join("\n", differences));
    }
  }

  /**
   * The work dir is emptied at start, and its processes are ended at close: it must be new, empty,
   * or a cluster's of an earlier run.
   */
  private static void refuseForeignWorkDir(Path workDir) {
    if (!Files.isDirectory(workDir) || Files.exists(workDir.resolve(WORK_DIR_MARK))) {
      return;
    }
    try (Stream<Path> entries = Files.list(workDir)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalStateException(
            workDir
                + " is not empty and not a one-node cluster's work dir: give the cluster a"
                + " directory of its own (it empties it)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The node's addresses must be free on this machine. */
  private static void refuseClashes(HostState before) {
    String podPrefix = POD_SUBNET.substring(0, POD_SUBNET.lastIndexOf('.') + 1);
    String nodePrefix = NODE_ADDRESS.substring(0, NODE_ADDRESS.lastIndexOf('.') + 1);
    for (String aspect : List.of(HostState.ADDRESSES, HostState.ROUTES, HostState.LINKS)) {
      for (String line : before.lines(aspect)) {
        if (line.contains(podPrefix)
            || line.contains(nodePrefix)
            || line.contains(NODE_LINK)
            || line.contains(POD_BRIDGE)) {
          throw new IllegalStateException(
              "this machine already uses the one-node cluster's addresses or links ("
                  + POD_SUBNET
                  + ", "
                  + NODE_ADDRESS
                  + ", "
                  + NODE_LINK
                  + ", "
                  + POD_BRIDGE
                  + "): "
                  + line);
        }
      }
    }
  }

  private void bringUp(Binaries binaries, NodeBinaries node) {
    Instant start = Instant.now();
    HostCommand.succeed("ip", "link", "add", NODE_LINK, "type", "bridge");
    HostCommand.succeed("ip", "address", "add", NODE_ADDRESS + "/32", "dev", NODE_LINK);
    HostCommand.succeed("ip", "link", "set", NODE_LINK, "up");

    Path pki = createDirectories(workDir.resolve("pki"));
    KubeletClientCertificates certificates = KubeletClientCertificates.create(pki);
    String nodeUser = "system:node:" + NODE_NAME;
    String nodeToken = UUID.randomUUID().toString();
    String controllerManagerToken = UUID.randomUUID().toString();
    String schedulerToken = UUID.randomUUID().toString();
    kube =
        KubeApiServer.start(
            binaries,
            workDir.resolve("kube"),
            new KubeApiServer.Options(
                NODE_ADDRESS,
                List.of(
                    "--authorization-mode=Node,RBAC",
                    "--enable-admission-plugins=NodeRestriction",
                    // Pods run here: the ServiceAccount plugin mounts their tokens.
                    "--disable-admission-plugins=",
                    "--endpoint-reconciler-type=lease",
                    "--kubelet-client-certificate=" + certificates.clientCertificate(),
                    "--kubelet-client-key=" + certificates.clientKey(),
                    "--kubelet-preferred-address-types=InternalIP"),
                List.of(
                    new KubeApiServer.StaticUser(nodeUser, nodeToken, List.of("system:nodes")),
                    new KubeApiServer.StaticUser(
                        "system:kube-controller-manager", controllerManagerToken, List.of()),
                    new KubeApiServer.StaticUser(
                        "system:kube-scheduler", schedulerToken, List.of()))));
    running.add(kube);
    routeKubernetesService(kube.url().getPort());

    startControlPlane(node, controllerManagerToken, schedulerToken);
    startContainerd(node);
    importImage(node.pauseImage());
    startKubelet(node, kube.kubeconfigFor(nodeUser, nodeToken), certificates.authority());
    nodeReadyAfter = Duration.between(start, Instant.now());
    LOG.info("node {} Ready after {} ms", NODE_NAME, nodeReadyAfter.toMillis());
  }

  /** A kube-proxy of one rule: the {@code kubernetes} Service's address goes to the API server. */
  private static void routeKubernetesService(int apiServerPort) {
    for (String chain : List.of("PREROUTING", "OUTPUT")) {
      HostCommand.succeed(
          "iptables",
          "-t",
          "nat",
          "-A",
          chain,
          "-d",
          KUBERNETES_SERVICE_IP + "/32",
          "-p",
          "tcp",
          "--dport",
          "443",
          "-m",
          "comment",
          "--comment",
          "jack one-node cluster: the kubernetes Service",
          "-j",
          "DNAT",
          "--to-destination",
          NODE_ADDRESS + ":" + apiServerPort);
    }
  }

  private void startControlPlane(
      NodeBinaries node, String controllerManagerToken, String schedulerToken) {
    Path controllerManagerConfig =
        kube.kubeconfigFor("system:kube-controller-manager", controllerManagerToken);
    int controllerManagerPort = Ports.freeLoopbackPort();
    ManagedProcess controllerManager =
        start(
            "kube-controller-manager",
            List.of(
                node.controllerManager().toString(),
                "--kubeconfig=" + controllerManagerConfig,
                "--authentication-kubeconfig=" + controllerManagerConfig,
                "--authorization-kubeconfig=" + controllerManagerConfig,
                "--bind-address=127.0.0.1",
                "--secure-port=" + controllerManagerPort,
                "--use-service-account-credentials=true",
                "--service-account-private-key-file=" + kube.serviceAccountKey(),
                "--root-ca-file=" + kube.caFile(),
                "--leader-elect=false"));
    Path schedulerConfig = kube.kubeconfigFor("system:kube-scheduler", schedulerToken);
    int schedulerPort = Ports.freeLoopbackPort();
    ManagedProcess scheduler =
        start(
            "kube-scheduler",
            List.of(
                node.scheduler().toString(),
                "--kubeconfig=" + schedulerConfig,
                "--authentication-kubeconfig=" + schedulerConfig,
                "--authorization-kubeconfig=" + schedulerConfig,
                "--bind-address=127.0.0.1",
                "--secure-port=" + schedulerPort,
                "--leader-elect=false"));
    controllerManager.awaitReady(() -> listening(controllerManagerPort), STARTUP_TIMEOUT);
    scheduler.awaitReady(() -> listening(schedulerPort), STARTUP_TIMEOUT);
  }

  private void startContainerd(NodeBinaries node) {
    Path dir = createDirectories(RUNTIME_DIR.resolve("containerd"));
    containerdSocket = dir.resolve("containerd.sock");
    Path cniConfig = createDirectories(RUNTIME_DIR.resolve("cni").resolve("net.d"));
    write(
        cniConfig.resolve("10-jack.conflist"),
        """
        {
          "cniVersion": "0.4.0",
          "name": "jack-pods",
          "plugins": [
            {
              "type": "bridge",
              "bridge": "%s",
              "isGateway": true,
              "ipMasq": false,
              "hairpinMode": true,
              "ipam": {
                "type": "host-local",
                "ranges": [[{"subnet": "%s"}]],
                "routes": [{"dst": "0.0.0.0/0"}],
                "dataDir": "%s"
              }
            }
          ]
        }
        """
            .formatted(POD_BRIDGE, POD_SUBNET, RUNTIME_DIR.resolve("cni").resolve("ipam")));
    Path config = workDir.resolve("containerd.toml");
    // restrict_oom_score_adj: without CAP_SYS_RESOURCE (as here) runc cannot lower a container's
    // oom_score_adj below its own, and fails every sandbox with "can't get final child's PID".
    write(
        config,
        """
        version = 2
        root = "%1$s/root"
        state = "%1$s/state"
        disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
          "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper"]
        [grpc]
          address = "%2$s"
        [ttrpc]
          address = "%2$s.ttrpc"
        [plugins."io.containerd.internal.v1.opt"]
          path = "%1$s/opt"
        [plugins."io.containerd.grpc.v1.cri"]
          sandbox_image = "%3$s"
          restrict_oom_score_adj = true
          disable_apparmor = true
          [plugins."io.containerd.grpc.v1.cri".containerd]
            snapshotter = "overlayfs"
            default_runtime_name = "runc"
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                SystemdCgroup = false
                Root = "%1$s/runc"
          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = "/usr/lib/cni"
            conf_dir = "%4$s"
        """
            .formatted(dir, containerdSocket, PAUSE_IMAGE, cniConfig));
    ManagedProcess containerd =
        start("containerd", List.of(node.containerd().toString(), "--config", config.toString()));
    containerd.awaitReady(
        () -> Files.exists(containerdSocket) && ctr("version").succeeded(), STARTUP_TIMEOUT);
  }

  private void startKubelet(NodeBinaries node, Path kubeconfig, Path clientAuthority) {
    Path config = workDir.resolve("kubelet.yaml");
    int port = Ports.freeLoopbackPort();
    int healthzPort = Ports.freeLoopbackPort();
    write(
        config,
        """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        address: %s
        port: %d
        readOnlyPort: 0
        healthzBindAddress: 127.0.0.1
        healthzPort: %d
        cgroupDriver: cgroupfs
        containerRuntimeEndpoint: unix://%s
        podLogsDir: %s
        authentication:
          anonymous:
            enabled: false
          webhook:
            enabled: true
          x509:
            clientCAFile: %s
        authorization:
          mode: Webhook
        failSwapOn: false
        # The machine's disk is shared: evict only when it is nearly full, never collect images.
        evictionHard:
          memory.available: 100Mi
          nodefs.available: 1%%
          nodefs.inodesFree: 1%%
          imagefs.available: 1%%
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 99
        resolvConf: /etc/resolv.conf
        """
            .formatted(
                NODE_ADDRESS,
                port,
                healthzPort,
                containerdSocket,
                RUNTIME_DIR.resolve("pod-logs"),
                clientAuthority));
    ManagedProcess kubelet =
        start(
            "kubelet",
            List.of(
                node.kubelet().toString(),
                "--config=" + config,
                "--kubeconfig=" + kubeconfig,
                "--root-dir=" + RUNTIME_DIR.resolve("kubelet"),
                // Its default is /var/lib/kubelet/pki, whatever the root dir.
                "--cert-dir=" + RUNTIME_DIR.resolve("kubelet").resolve("pki"),
                "--hostname-override=" + NODE_NAME,
                "--node-ip=" + NODE_ADDRESS,
                "--v=2"));
    try (KubernetesClient client = kube.newAdminClient()) {
      kubelet.awaitReady(
          () -> isReady(client.nodes().withName(NODE_NAME).get()), NODE_READY_TIMEOUT);
    }
  }

  private static boolean isReady(Node node) {
    if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
      return false;
    }
    for (NodeCondition condition : node.getStatus().getConditions()) {
      if ("Ready".equals(condition.getType())) {
        return "True".equals(condition.getStatus());
      }
    }
    return false;
  }

  /**
   * Imports an OCI image layout archive into containerd's Kubernetes namespace, under the names its
   * index gives ({@code io.containerd.image.name}, else {@code org.opencontainers.image.ref.name}),
   * each also as the kubelet resolves it ({@code jack:v0.1.0} is {@code
   * docker.io/library/jack:v0.1.0}). Pods use it with {@code imagePullPolicy: Never}.
   */
  public List<String> importImage(Path ociArchive) {
    JsonNode index;
    try {
      index =
          JSON.readTree(
              HostCommand.succeed(
                  "tar", "-xOf", ociArchive.toAbsolutePath().toString(), "index.json"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the index of " + ociArchive, e);
    }
    ctr("images", "import", ociArchive.toAbsolutePath().toString()).orThrow();
    List<String> names = new ArrayList<>();
    for (JsonNode manifest : index.path("manifests")) {
      JsonNode annotations = manifest.path("annotations");
      String name =
          annotations
              .path("io.containerd.image.name")
              .asText(annotations.path("org.opencontainers.image.ref.name").asText(""));
      if (name.isEmpty()) {
        continue;
      }
      String normalized = normalizedImageName(name);
      if (!normalized.equals(name)) {
        ctr("images", "tag", "--force", name, normalized).orThrow();
      }
      names.add(normalized);
    }
    if (names.isEmpty()) {
      throw new IllegalStateException(
          ociArchive + " names no image in its index.json (io.containerd.image.name)");
    }
    return names;
  }

  /** An image reference as the kubelet and containerd's CRI resolve it. */
  static String normalizedImageName(String name) {
    int slash = name.indexOf('/');
    String first = slash < 0 ? "" : name.substring(0, slash);
    boolean hasRegistry =
        slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    if (hasRegistry) {
      return name;
    }
    return "docker.io/" + (slash < 0 ? "library/" : "") + name;
  }

  private HostCommand.Result ctr(String... args) {
    List<String> command =
        new ArrayList<>(List.of("ctr", "--address", containerdSocket.toString(), "-n", "k8s.io"));
    command.addAll(List.of(args));
    return HostCommand.run(null, command);
  }

  /**
   * A URI that pods reach for {@code loopbackEndpoint}, a server of the host on 127.0.0.1: the same
   * port relayed from the node's address. The relay ends with the cluster.
   */
  public URI reachableFromPods(URI loopbackEndpoint) {
    try {
      TcpRelay relay =
          TcpRelay.start(InetAddress.getByName(NODE_ADDRESS), loopbackEndpoint.getPort());
      running.add(relay);
      return URI.create(loopbackEndpoint.getScheme() + "://" + NODE_ADDRESS + ":" + relay.port());
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The API server, with its admin kubeconfig and clients. */
  public KubeApiServer kube() {
    return kube;
  }

  /** How long the node took from the start to Ready. */
  public Duration nodeReadyAfter() {
    return nodeReadyAfter;
  }

  /**
   * The memory a pod's processes hold resident (the memory cgroup's RSS, without the page cache),
   * when the pod's cgroup is found.
   */
  public OptionalLong podResidentBytes(String podUid) {
    String name = "pod" + podUid;
    for (Path root :
        List.of(Path.of("/sys/fs/cgroup/memory/kubepods"), Path.of("/sys/fs/cgroup/kubepods"))) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root, 3)) {
        Optional<Path> pod = walk.filter(p -> p.getFileName().toString().equals(name)).findFirst();
        if (pod.isPresent()) {
          for (String line : Files.readAllLines(pod.get().resolve("memory.stat"))) {
            String[] field = line.split(" ");
            if (field[0].equals("total_rss") || field[0].equals("anon")) {
              return OptionalLong.of(Long.parseLong(field[1]));
            }
          }
        }
      } catch (IOException | UncheckedIOException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }

  /** The end of a component's log ({@code kubelet}, {@code containerd}, ...), for a failure. */
  public String logTail(String component) {
    Path log = workDir.resolve(component + ".log");
    try {
      List<String> lines = Files.readAllLines(log);
      return "--- last lines of "
          + log
          + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  private ManagedProcess start(String name, List<String> command) {
    List<String> withPath = new ArrayList<>(List.of("/usr/bin/env", "PATH=" + HostCommand.PATH));
    withPath.addAll(command);
    ManagedProcess process = ManagedProcess.start(name, withPath, workDir);
    running.add(process);
    return process;
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Stops the cluster, puts the machine back as it was and checks it; fails with every difference
   * that remains.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // Called from the hook itself, or while the JVM exits.
    }
    List<AutoCloseable> stopping = new ArrayList<>(running);
    Collections.reverse(stopping);
    for (AutoCloseable part : stopping) {
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", part, e.toString());
      }
    }
    List<String> differences = restore(before, workDir);
    if (!differences.isEmpty()) {
      throw new IllegalStateException(
          "the machine is not as it was before the one-node cluster started; left as it is, with"
              + " the record in "
              + RUNTIME_DIR.resolve("host-state")
              + " (the next start restores from it):\n"
              + String.join("\n", differences));
    }
  }

  private void closeFromHook() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("jack one-node cluster: " + e.getMessage());
    }
  }

  /** Puts the machine back as {@code before} says and returns what still differs. */
  private static List<String> restore(HostState before, Path workDir) {
    new HostRestorer(before, List.of(RUNTIME_DIR, workDir), List.of("jack-", "veth")).restore();
    for (String data : List.of("containerd", "kubelet", "cni", "pod-logs")) {
      HostRestorer.deleteTree(RUNTIME_DIR.resolve(data));
    }
    List<String> differences = before.differences(HostState.record());
    if (differences.isEmpty()) {
      HostRestorer.deleteTree(RUNTIME_DIR);
    }
    return differences;
  }

  private static Path createDirectories(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
