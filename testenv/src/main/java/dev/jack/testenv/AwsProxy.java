package dev.jack.testenv;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A loopback HTTP proxy between a controller and an AWS endpoint (moto): it records every call and
 * can hold the calls a rule matches until the test releases them, to make a race happen on purpose
 * (a user's edit while a create is in flight).
 */
public final class AwsProxy implements AutoCloseable {

  /** Headers the JDK's client sets itself, or that belong to one hop only. */
  private static final Set<String> HOP_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  /** One call as the controller sent it. */
  public record Call(String method, String path, String query, String target, byte[] body) {

    /**
     * The AWS operation when the protocol names it (the JSON protocols' {@code X-Amz-Target}, the
     * query protocol's {@code Action}); otherwise the method and path ({@code POST /v2/apis}).
     */
    public String operation() {
      if (target != null) {
        return target.substring(target.lastIndexOf('.') + 1);
      }
      String action = parameter(new String(body, StandardCharsets.UTF_8), "Action");
      if (action == null && query != null) {
        action = parameter(query, "Action");
      }
      return action != null ? action : method + " " + path;
    }

    private static String parameter(String form, String name) {
      for (String pair : form.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals(name)) {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
      return null;
    }
  }

  /** Calls a rule holds: the test waits for one to arrive, then lets them through. */
  public static final class Gate {
    private final Predicate<Call> match;
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();

    private Gate(Predicate<Call> match) {
      this.match = match;
    }

    /** Waits until a matching call is being held; false when none came in time. */
    public boolean awaitArrival(Duration timeout) throws InterruptedException {
      return arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How many matching calls are being held now. */
    public int held() {
      return held.get();
    }

    /** Lets the held calls, and every later one, through. */
    public void release() {
      released.countDown();
    }

    private void pass(Call call) {
      if (released.getCount() == 0 || !match.test(call)) {
        return;
      }
      held.incrementAndGet();
      arrived.countDown();
      try {
        // Bounded so that a test that fails before releasing never hangs the proxy.
        released.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        held.decrementAndGet();
      }
    }
  }

  /** A throttling error as each protocol's AWS services answer it. */
  public enum Throttling {
    /** The JSON protocols (SQS, DynamoDB, ECR, ...): 400, {@code __type} ThrottlingException. */
    JSON(
        400,
        "application/x-amz-json-1.0",
        "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"),
    /** The query protocol (SNS, IAM, ...): 400, an ErrorResponse with the code Throttling. */
    QUERY(
        400,
        "text/xml",
        "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
            + "<Message>Rate exceeded</Message></Error><RequestId>proxy</RequestId></ErrorResponse>"),
    /** S3: 503 SlowDown. */
    S3(
        503,
        "application/xml",
        "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
            + "</Error>");

    private final int status;
    private final String contentType;
    private final String body;

    Throttling(int status, String contentType, String body) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
    }
  }

  /** A canned answer for the next {@code left} calls {@code match} selects. */
  private record Answer(
      Predicate<Call> match,
      java.util.concurrent.atomic.AtomicInteger left,
      int status,
      String contentType,
      String body) {}

  private final List<Answer> answers = new CopyOnWriteArrayList<>();
  private final URI target;
  private final HttpServer server;
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Gate> gates = new CopyOnWriteArrayList<>();

  private AwsProxy(URI target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(workers);
    server.start();
  }

  /** A proxy on a free loopback port that forwards to {@code target}. */
  public static AwsProxy start(URI target) {
    try {
      return new AwsProxy(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL to give the controller as its AWS endpoint. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Holds the calls {@code match} selects until the returned gate is released. */
  public Gate hold(Predicate<Call> match) {
    Gate gate = new Gate(match);
    gates.add(gate);
    return gate;
  }

  /** Answers the next {@code times} calls {@code match} selects with a throttling error. */
  public void throttle(Predicate<Call> match, int times, Throttling answer) {
    answer(match, times, answer.status, answer.contentType, answer.body);
  }

  /**
   * Answers the next {@code times} calls {@code match} selects itself, without forwarding them:
   * what AWS answers where the emulator differs.
   */
  public void answer(
      Predicate<Call> match, int times, int status, String contentType, String body) {
    answers.add(
        new Answer(
            match,
            new java.util.concurrent.atomic.AtomicInteger(times),
            status,
            contentType,
            body));
  }

  /** The calls so far, in the order they came. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** How many calls so far {@code match} selects. */
  public long count(Predicate<Call> match) {
    return calls.stream().filter(match).count();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      URI uri = exchange.getRequestURI();
      Call call =
          new Call(
              exchange.getRequestMethod(),
              uri.getRawPath(),
              uri.getRawQuery(),
              exchange.getRequestHeaders().getFirst("X-Amz-Target"),
              body);
      calls.add(call);
      for (Answer rule : answers) {
        if (rule.match().test(call) && rule.left().getAndDecrement() > 0) {
          byte[] answer = rule.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", rule.contentType());
          exchange.getResponseHeaders().add("x-amzn-RequestId", "proxy");
          exchange.sendResponseHeaders(rule.status(), answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
          return;
        }
      }
      gates.forEach(gate -> gate.pass(call));
      HttpResponse<byte[]> response;
      try {
        response = http.send(forward(exchange, body), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      } catch (IOException e) {
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                  exchange.getResponseHeaders().put(name, values);
                }
              });
      byte[] answer = response.body();
      boolean empty = answer.length == 0 || exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : answer.length);
      if (!empty) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  private HttpRequest forward(HttpExchange exchange, byte[] body) {
    URI uri = exchange.getRequestURI();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target.resolve(uri.getRawPath() + queryOf(uri)))
            .timeout(Duration.ofSeconds(60))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      if (!HOP_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        header.getValue().forEach(value -> request.header(header.getKey(), value));
      }
    }
    return request.build();
  }

  private static String queryOf(URI uri) {
    return uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
  }

  @Override
  public void close() {
    gates.forEach(Gate::release);
    server.stop(0);
    workers.shutdownNow();
  }
}
