package dev.jack.testenv;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Kubernetes API server: etcd plus kube-apiserver on free loopback ports, with RBAC
 * authorization, an admin identity (a static token in {@code system:masters}), service account
 * tokens, and a kubeconfig file that kubectl, helm and fabric8 all read.
 *
 * <p>There is no controller manager and no scheduler: objects are stored and validated exactly as
 * in a cluster, but pods never run and deleted namespaces stay terminating.
 */
public final class KubeApiServer implements AutoCloseable {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
  private static final String ADMIN_USER = "jack-admin";

  private final ManagedProcess etcd;
  private ManagedProcess apiServer;
  private final List<String> command;
  private final Path workDir;
  private final URI url;
  private final Path kubeconfig;
  private final Path caFile;

  private KubeApiServer(
      ManagedProcess etcd,
      ManagedProcess apiServer,
      List<String> command,
      Path workDir,
      URI url,
      Path kubeconfig,
      Path caFile) {
    this.etcd = etcd;
    this.apiServer = apiServer;
    this.command = List.copyOf(command);
    this.workDir = workDir;
    this.url = url;
    this.kubeconfig = kubeconfig;
    this.caFile = caFile;
  }

  /**
   * Stops the API server (SIGTERM; etcd keeps every object), leaves it down for {@code down}, and
   * starts it again at the same address with the same certificates and tokens, as a control-plane
   * upgrade or crash does to the clients.
   */
  public synchronized void restart(Duration down) {
    apiServer.close();
    ManagedProcess.sleep(down);
    apiServer = ManagedProcess.start("kube-apiserver", command, workDir);
    apiServer.awaitReady(() -> isReady(url, caFile), STARTUP_TIMEOUT);
  }

  /**
   * Freezes etcd (SIGSTOP) for {@code stall}: every read and write of the API server waits, as with
   * a disk or network that stalls, and then goes on.
   */
  public void stallEtcd(Duration stall) {
    etcd.freeze(stall);
  }

  /**
   * What a caller may change of the API server started here: the address it listens on and
   * advertises, flags that replace the defaults of the same name or add to them ({@code
   * --name=value}), and identities with static tokens beside the admin's. A one-node cluster needs
   * them; every other test uses {@link #defaults()}.
   */
  public record Options(String address, List<String> flags, List<StaticUser> users) {
    public Options {
      flags = List.copyOf(flags);
      users = List.copyOf(users);
    }

    public static Options defaults() {
      return new Options("127.0.0.1", List.of(), List.of());
    }
  }

  /** An identity the API server authenticates by its bearer token. */
  public record StaticUser(String name, String token, List<String> groups) {}

  /** Starts etcd and kube-apiserver with their data and logs under {@code workDir}. */
  public static KubeApiServer start(Binaries binaries, Path workDir) {
    return start(binaries, workDir, Options.defaults());
  }

  /** Starts etcd and kube-apiserver as {@code options} say, under {@code workDir}. */
  public static KubeApiServer start(Binaries binaries, Path workDir, Options options) {
    Path etcdBinary = binaries.etcd();
    Path apiServerBinary = binaries.kubeApiServer();
    try {
      Files.createDirectories(workDir);
      Etcd etcd = startEtcd(etcdBinary, workDir);
      try {
        return startApiServer(apiServerBinary, workDir, etcd, options);
      } catch (RuntimeException | IOException e) {
        etcd.process().close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + workDir, e);
    }
  }

  private record Etcd(ManagedProcess process, String url) {}

  private static Etcd startEtcd(Path binary, Path workDir) {
    int clientPort = Ports.freeLoopbackPort();
    int peerPort = Ports.freeLoopbackPort();
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    ManagedProcess etcd =
        ManagedProcess.start(
            "etcd",
            List.of(
                binary.toString(),
                "--name=jack",
                "--data-dir=" + workDir.resolve("etcd-data"),
                "--listen-client-urls=" + client,
                "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer,
                "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=jack=" + peer,
                "--unsafe-no-fsync=true",
                "--log-level=warn"),
            workDir);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    etcd.awaitReady(
        () -> {
          HttpResponse<String> health = get(http, URI.create(client + "/health"));
          return health != null && health.body().contains("\"health\":\"true\"");
        },
        STARTUP_TIMEOUT);
    return new Etcd(etcd, client);
  }

  private static KubeApiServer startApiServer(Path binary, Path workDir, Etcd etcd, Options options)
      throws IOException {
    int port = Ports.freeLoopbackPort();
    Path certDir = workDir.resolve("certs");
    Path serviceAccountKey = workDir.resolve("service-account.key");
    Files.writeString(serviceAccountKey, newRsaPrivateKeyPem());
    String adminToken = UUID.randomUUID().toString();
    Path tokens = workDir.resolve("tokens.csv");
    StringBuilder tokenLines = new StringBuilder();
    for (StaticUser user : options.users()) {
      tokenLines.append(
          "%s,%s,%s,\"%s\"\n"
              .formatted(user.token(), user.name(), user.name(), String.join(",", user.groups())));
    }
    Files.writeString(
        tokens,
        adminToken + "," + ADMIN_USER + "," + ADMIN_USER + ",\"system:masters\"\n" + tokenLines);

    List<String> defaults =
        List.of(
            binary.toString(),
            "--etcd-servers=" + etcd.url(),
            "--bind-address=" + options.address(),
            "--advertise-address=" + options.address(),
            "--secure-port=" + port,
            "--cert-dir=" + certDir,
            "--token-auth-file=" + tokens,
            "--authorization-mode=RBAC",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            "--service-account-key-file=" + serviceAccountKey,
            "--service-account-signing-key-file=" + serviceAccountKey,
            "--service-cluster-ip-range=10.0.0.0/24",
            // Pods never run here; the ServiceAccount admission plugin would only demand a
            // default service account that no controller manager creates.
            "--disable-admission-plugins=ServiceAccount",
            // The default reconciler would publish 127.0.0.1 as the kubernetes service's
            // endpoint, which the API server itself rejects as loopback, every 10 seconds.
            "--endpoint-reconciler-type=none",
            "--enable-priority-and-fairness=false",
            "--profiling=false",
            "--allow-privileged=true");
    List<String> command = withFlags(defaults, options.flags());
    ManagedProcess apiServer = ManagedProcess.start("kube-apiserver", command, workDir);
    try {
      URI url = URI.create("https://" + options.address() + ":" + port);
      Path caFile = certDir.resolve("apiserver.crt");
      apiServer.awaitReady(() -> isReady(url, caFile), STARTUP_TIMEOUT);
      Path kubeconfig = workDir.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfig(url, caFile, ADMIN_USER, adminToken));
      return new KubeApiServer(
          etcd.process(), apiServer, command, workDir, url, kubeconfig, caFile);
    } catch (RuntimeException | IOException e) {
      apiServer.close();
      throw e;
    }
  }

  /** {@code flags} replace the defaults of the same name; the others are added. */
  private static List<String> withFlags(List<String> defaults, List<String> flags) {
    List<String> command = new ArrayList<>(defaults);
    for (String flag : flags) {
      String name = flag.substring(0, flag.indexOf('=') + 1);
      command.removeIf(arg -> arg.startsWith(name));
      command.add(flag);
    }
    return command;
  }

  private static boolean isReady(URI url, Path caFile) {
    if (!Files.exists(caFile)) {
      return false;
    }
    HttpClient http =
        HttpClient.newBuilder()
            // The API server answers the JDK client's HTTP/2 upgrade with GOAWAY.
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(trusting(caFile))
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    HttpResponse<String> ready = get(http, url.resolve("/readyz"));
    return ready != null && ready.statusCode() == 200;
  }

  private static HttpResponse<String> get(HttpClient http, URI uri) {
    try {
      return http.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing " + uri, e);
    }
  }

  private static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
      trustStore.load(null, null);
      int i = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trustStore.setCertificateEntry("ca-" + i++, cert);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the API server's certificate " + caFile, e);
    }
  }

  private static String newRsaPrivateKeyPem() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
      String body =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8);
      return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate the service account signing key", e);
    }
  }

  private static String kubeconfig(URI url, Path caFile, String user, String token) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: jack
          cluster:
            server: %s
            certificate-authority: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: jack
          context:
            cluster: jack
            user: %s
            namespace: default
        current-context: jack
        """
        .formatted(url, caFile.toAbsolutePath(), user, token, user);
  }

  public URI url() {
    return url;
  }

  /** The certificate the API server serves, with the authority that signed it. */
  public Path caFile() {
    return caFile;
  }

  /** The key that signs (and verifies) service account tokens. */
  public Path serviceAccountKey() {
    return kubeconfig.resolveSibling("service-account.key");
  }

  /** A kubeconfig with the admin identity, for kubectl, helm and other clients. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * A kubeconfig file that acts with {@code token} (a service account's, say) as {@code user}: what
   * a pod's client would use, for a process started outside a pod. The file lives beside the
   * admin's.
   */
  public Path kubeconfigFor(String user, String token) {
    Path file = kubeconfig.resolveSibling("kubeconfig-" + user.replaceAll("[^A-Za-z0-9.-]", "_"));
    try {
      Files.writeString(file, kubeconfig(url, caFile, user, token));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The fabric8 configuration of the admin identity; each call returns a fresh copy. */
  public Config adminConfig() {
    return Config.fromKubeconfig(readKubeconfig());
  }

  /** A new client with the admin identity; the caller closes it. */
  public KubernetesClient newAdminClient() {
    return new KubernetesClientBuilder().withConfig(adminConfig()).build();
  }

  /**
   * A new client that acts as the service account {@code namespace/name}, creating the account when
   * it does not exist. It has exactly the permissions RBAC grants that account.
   */
  public KubernetesClient newServiceAccountClient(String namespace, String name) {
    try (KubernetesClient admin = newAdminClient()) {
      admin
          .serviceAccounts()
          .inNamespace(namespace)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .endMetadata()
                  .build())
          .serverSideApply();
      TokenRequest token =
          admin
              .serviceAccounts()
              .inNamespace(namespace)
              .withName(name)
              .tokenRequest(
                  new TokenRequestBuilder()
                      .withNewSpec()
                      .withExpirationSeconds(3600L)
                      .endSpec()
                      .build());
      Config config = adminConfig();
      config.setOauthToken(token.getStatus().getToken());
      config.setNamespace(namespace);
      return new KubernetesClientBuilder().withConfig(config).build();
    }
  }

  private String readKubeconfig() {
    try {
      return Files.readString(kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    apiServer.close();
    etcd.close();
  }
}
