package dev.jack.controller;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jack.runtime.ThreadPools;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientImpl;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's clients of the API server: fabric8's client on the JDK's HTTP client (Vert.x and
 * Netty, fabric8's default, are not on the classpath), with every watch an HTTP request rather than
 * a WebSocket, so that a client's watches and requests are streams of one HTTP/2 connection ({@link
 * JackController} spreads the kinds' watches over a few clients). On WebSockets (HTTP/1.1) each
 * kind's watch held a connection of its own, with a TLS handshake each at start-up and a TLS
 * session each after: 14 MiB more with every service, and ready 0.25 s later. fabric8 reads an HTTP
 * watch's events right only when each byte is a character, which {@link AsciiWatchEvents} sees to
 * (WatchEncodingIT).
 */
public final class KubernetesClients {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesClients.class);

  /**
   * The HTTP client's own threads, one per core the JVM may use and at least two: they read the
   * watches' events and the responses (the JSON of every object), a quarter of jack's CPU in a
   * burst (docs/performance.md).
   */
  static final int HTTP_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

  /**
   * How every client reads and writes objects: as fabric8 does, except an object's {@code
   * metadata.managedFields}, the API server's record of who set which field, which jack never
   * reads. It was 1 KB of a synced Bucket's 2.4 KB: each watch event's parsing and each informer's
   * copy of every resource skip it (as controller-runtime's TransformStripManagedFields does for Go
   * controllers). A write without it leaves the API server's record as it is.
   */
  static final KubernetesSerialization SERIALIZATION = withoutManagedFields();

  private static KubernetesSerialization withoutManagedFields() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.addMixIn(ObjectMeta.class, WithoutManagedFields.class);
    return new KubernetesSerialization(mapper, true);
  }

  @JsonIgnoreProperties("managedFields")
  private abstract static class WithoutManagedFields {}

  private KubernetesClients() {}

  /** A client for {@code config} (a copy is changed, not {@code config} itself). */
  public static KubernetesClient create(Config config) {
    Config shared = new ConfigBuilder(config).withOnlyHttpWatches(true).build();
    return new KubernetesClientBuilder()
        .withConfig(shared)
        .withKubernetesSerialization(SERIALIZATION)
        .withHttpClientFactory(new BoundedJdkHttpClientFactory())
        .withHttpClientBuilderConsumer(
            builder ->
                builder.addOrReplaceInterceptor(AsciiWatchEvents.NAME, new AsciiWatchEvents()))
        .build();
  }

  /**
   * Opens the client's HTTP/2 connection with one request ({@code GET /version}, which every
   * authenticated user may make) before its watches and informers start. Until a client's first
   * HTTP/2 connection is up, the JDK's HTTP client opens a connection of its own, with a TLS
   * handshake, for each request made, and closes the spare ones once one is up: 117 kinds' first
   * lists opened 19-73 at once (a quarter of the start-up's CPU with every service). One attempt of
   * at most {@link #CONNECT_TIMEOUT}, without fabric8's retries: a failure is the watches' to
   * report and retry.
   */
  static void connect(KubernetesClient client) {
    RequestConfig once =
        new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
            .withRequestRetryBackoffLimit(0)
            .build();
    // Derived from the client's: the same JDK client, so the same connection.
    io.fabric8.kubernetes.client.http.HttpClient http =
        client.getHttpClient().newBuilder().tag(once).build();
    HttpRequest version =
        http.newHttpRequestBuilder()
            .uri(URLUtils.join(client.getMasterUrl().toString(), "version"))
            .timeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .build();
    try {
      http.sendAsync(version, String.class).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("could not reach the API server before the watches start", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The longest {@link #connect} waits. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * fabric8's factory with a pool of {@link #HTTP_THREADS} threads in place of its unbounded cached
   * pool, which grew to one thread per watch (140 threads with every service).
   */
  private static final class BoundedJdkHttpClientFactory extends JdkHttpClientFactory {
    private final List<ExecutorService> pools = new CopyOnWriteArrayList<>();

    @Override
    protected HttpClient.Builder createNewHttpClientBuilder() {
      ExecutorService pool =
          ThreadPools.pool("kubernetes-http", HTTP_THREADS, Duration.ofSeconds(30), true);
      pools.add(pool);
      return HttpClient.newBuilder().executor(pool);
    }

    @Override
    protected void closeHttpClient(JdkHttpClientImpl client) {
      pools.forEach(ExecutorService::shutdownNow);
    }
  }
}
