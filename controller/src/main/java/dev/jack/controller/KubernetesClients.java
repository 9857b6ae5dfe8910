package dev.jack.controller;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientImpl;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The controller's clients of the API server: fabric8's client on the JDK's HTTP client (Vert.x and
 * Netty, fabric8's default, are not on the classpath), its requests streams of one HTTP/2
 * connection per client ({@link JackController} spreads the kinds over a few clients), its watches
 * WebSockets. Not HTTP watches, which would share that connection too: fabric8 decodes an HTTP
 * watch's stream a network buffer at a time and appends the decoder's unused characters to the next
 * event, so every event after one with a character beyond ASCII failed to parse and the watch broke
 * (WatchEncodingIT).
 */
public final class KubernetesClients {

  /**
   * The HTTP client's own threads, one per core the JVM may use and at least two: they read the
   * watches' events and the responses (the JSON of every object), a quarter of jack's CPU in a
   * burst (docs/performance.md).
   */
  static final int HTTP_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

  private KubernetesClients() {}

  /** A client for {@code config} (a copy is changed, not {@code config} itself). */
  public static KubernetesClient create(Config config) {
    Config shared = new ConfigBuilder(config).withOnlyHttpWatches(false).build();
    return new KubernetesClientBuilder()
        .withConfig(shared)
        .withHttpClientFactory(new BoundedJdkHttpClientFactory())
        .build();
  }

  /**
   * fabric8's factory with a pool of {@link #HTTP_THREADS} threads in place of its unbounded cached
   * pool, which grew to one thread per watch (140 threads with every service).
   */
  private static final class BoundedJdkHttpClientFactory extends JdkHttpClientFactory {
    private final List<ExecutorService> pools = new CopyOnWriteArrayList<>();

    @Override
    protected HttpClient.Builder createNewHttpClientBuilder() {
      AtomicInteger count = new AtomicInteger();
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              HTTP_THREADS,
              HTTP_THREADS,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              task -> {
                Thread thread = new Thread(task, "kubernetes-http-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
      pool.allowCoreThreadTimeOut(true);
      pools.add(pool);
      return HttpClient.newBuilder().executor(pool);
    }

    @Override
    protected void closeHttpClient(JdkHttpClientImpl client) {
      pools.forEach(ExecutorService::shutdownNow);
    }
  }
}
