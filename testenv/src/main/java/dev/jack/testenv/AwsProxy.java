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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A loopback HTTP proxy between a controller and an AWS endpoint (moto): it records every call, can
 * hold the calls a rule matches until the test releases them, to make a race happen on purpose (a
 * user's edit while a create is in flight), and injects faults by rule and probability: each
 * protocol's own throttling, 500 and 503 answers, latency, dropped connections and calls that never
 * answer ({@link #inject}).
 */
public final class AwsProxy implements AutoCloseable {

  /** Headers the JDK's client sets itself, or that belong to one hop only. */
  private static final Set<String> HOP_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  /**
   * One call as the controller sent it; {@code service} and {@code region} are the signing name and
   * region of its SigV4 scope ({@code s3}, {@code sqs}, {@code ec2}, ...; {@code us-east-1}), null
   * when it was not signed.
   */
  public record Call(
      String method,
      String path,
      String query,
      String target,
      String service,
      String region,
      byte[] body) {

    /**
     * The AWS operation when the protocol names it (the JSON protocols' {@code X-Amz-Target}, the
     * query protocol's {@code Action}); otherwise the method and path ({@code POST /v2/apis}).
     */
    public String operation() {
      if (target != null) {
        return target.substring(target.lastIndexOf('.') + 1);
      }
      String action = action();
      return action != null ? action : method + " " + path;
    }

    /** The action of the query protocols (SNS, IAM, EC2, ...), null for the others. */
    private String action() {
      if (target != null) {
        return null;
      }
      String action = parameter(new String(body, StandardCharsets.UTF_8), "Action");
      return action != null || query == null ? action : parameter(query, "Action");
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

  /** What a fault does to a call it selects. */
  public enum Fault {
    /**
     * The protocol's throttling error: 400 ThrottlingException (JSON), 400 Throttling (query), 503
     * RequestLimitExceeded (EC2), 503 SlowDown (S3), 429 TooManyRequestsException (REST-JSON).
     */
    THROTTLE,
    /** 500 InternalFailure (InternalError for S3 and EC2), in the protocol's form. */
    INTERNAL_ERROR,
    /** 503 ServiceUnavailable, in the protocol's form. */
    UNAVAILABLE,
    /** The connection is closed without an answer (after the call reached the proxy). */
    RESET,
    /**
     * No answer for the rule's delay (longer than the client waits), then the connection closes.
     */
    TIMEOUT,
    /** The call is forwarded after the rule's delay. */
    LATENCY,
    /**
     * The call is forwarded and the endpoint acts on it, but its answer is lost: the connection is
     * closed instead. The client cannot tell whether a create happened.
     */
    LOST_ANSWER
  }

  /** An error answer: its status, content type, error type header (REST-JSON) and body. */
  private record ErrorAnswer(int status, String contentType, String errorType, String body) {

    /** The error {@code fault} stands for, as the protocol of {@code call} answers it. */
    static ErrorAnswer of(Fault fault, Call call) {
      String code =
          switch (fault) {
            case THROTTLE -> null;
            case INTERNAL_ERROR -> "InternalFailure";
            case UNAVAILABLE -> "ServiceUnavailable";
            default -> throw new IllegalArgumentException(fault + " is not an error answer");
          };
      int status = fault == Fault.UNAVAILABLE ? 503 : 500;
      String message = fault == Fault.THROTTLE ? "Rate exceeded" : "injected by the proxy";
      if (call.target() != null) {
        return new ErrorAnswer(
            fault == Fault.THROTTLE ? 400 : status,
            "application/x-amz-json-1.0",
            null,
            "{\"__type\":\""
                + (code == null ? "ThrottlingException" : code)
                + "\",\"message\":\""
                + message
                + "\"}");
      }
      if ("ec2".equals(call.service())) {
        String ec2 =
            code == null
                ? "RequestLimitExceeded"
                : fault == Fault.UNAVAILABLE ? "Unavailable" : "InternalError";
        return new ErrorAnswer(
            fault == Fault.THROTTLE ? 503 : status,
            "text/xml",
            null,
            "<Response><Errors><Error><Code>"
                + ec2
                + "</Code><Message>"
                + message
                + "</Message></Error></Errors><RequestID>proxy</RequestID></Response>");
      }
      if (call.action() != null) {
        return new ErrorAnswer(
            fault == Fault.THROTTLE ? 400 : status,
            "text/xml",
            null,
            "<ErrorResponse><Error><Type>"
                + (fault == Fault.THROTTLE ? "Sender" : "Receiver")
                + "</Type><Code>"
                + (code == null ? "Throttling" : code)
                + "</Code><Message>"
                + message
                + "</Message></Error><RequestId>proxy</RequestId></ErrorResponse>");
      }
      if ("s3".equals(call.service())) {
        String s3 = code == null ? "SlowDown" : fault == Fault.UNAVAILABLE ? code : "InternalError";
        return new ErrorAnswer(
            fault == Fault.THROTTLE ? 503 : status,
            "application/xml",
            null,
            "<Error><Code>" + s3 + "</Code><Message>" + message + "</Message></Error>");
      }
      String type = code == null ? "TooManyRequestsException" : code + "Exception";
      return new ErrorAnswer(
          fault == Fault.THROTTLE ? 429 : status,
          "application/json",
          type,
          "{\"message\":\"" + message + "\"}");
    }
  }

  /** A fault injected into the calls a rule selects, with a probability; it counts what it did. */
  public static final class FaultRule {
    private final Predicate<Call> match;
    private final double probability;
    private final Fault fault;
    private final Duration delay;
    private final AtomicLong injected = new AtomicLong();
    private volatile boolean stopped;

    /**
     * With a rate: the calls a second allowed (a token bucket of one second's calls); 0 without.
     */
    private final double perSecond;

    private double tokens;
    private long refilled = System.nanoTime();

    private FaultRule(
        Predicate<Call> match, double probability, Fault fault, Duration delay, double perSecond) {
      this.match = match;
      this.probability = probability;
      this.fault = fault;
      this.delay = delay;
      this.perSecond = perSecond;
      this.tokens = perSecond;
    }

    /** With a rate: whether this call is within it (and takes its token). */
    private synchronized boolean withinRate() {
      long now = System.nanoTime();
      tokens = Math.min(perSecond, tokens + (now - refilled) / 1e9 * perSecond);
      refilled = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }

    /** How many calls this rule has faulted so far. */
    public long injected() {
      return injected.get();
    }

    /** No more faults from this rule: the endpoint is healthy again. */
    public void stop() {
      stopped = true;
    }

    private boolean selects(Call call) {
      if (stopped || !match.test(call)) {
        return false;
      }
      if (perSecond > 0 && withinRate()) {
        return false;
      }
      if (probability < 1.0 && ThreadLocalRandom.current().nextDouble() >= probability) {
        return false;
      }
      injected.incrementAndGet();
      return true;
    }
  }

  /** A canned answer for the next {@code left} calls {@code match} selects. */
  private record Answer(
      Predicate<Call> match, AtomicInteger left, int status, String contentType, String body) {}

  private final List<Answer> answers = new CopyOnWriteArrayList<>();
  private final URI target;
  private final HttpServer server;
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** Every call, with when it came ({@link System#nanoTime}); guarded by itself. */
  private final List<Seen> calls = new ArrayList<>();

  private record Seen(Call call, long nanos) {}

  private final List<Gate> gates = new CopyOnWriteArrayList<>();
  private final List<FaultRule> faults = new CopyOnWriteArrayList<>();

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

  /**
   * Answers the next {@code times} calls {@code match} selects with their protocol's throttling
   * error ({@link Fault#THROTTLE}).
   */
  public void throttle(Predicate<Call> match, int times) {
    AtomicInteger left = new AtomicInteger(times);
    inject(call -> match.test(call) && left.getAndDecrement() > 0, 1.0, Fault.THROTTLE);
  }

  /** Injects {@code fault} into each call {@code match} selects, with {@code probability}. */
  public FaultRule inject(Predicate<Call> match, double probability, Fault fault) {
    return inject(match, probability, fault, Duration.ofSeconds(60));
  }

  /**
   * Injects {@code fault} into each call {@code match} selects, with {@code probability}; {@code
   * delay} is how long a {@link Fault#LATENCY} delays the call and a {@link Fault#TIMEOUT} holds it
   * before the connection is closed.
   */
  public FaultRule inject(Predicate<Call> match, double probability, Fault fault, Duration delay) {
    FaultRule rule = new FaultRule(match, probability, fault, delay, 0);
    faults.add(rule);
    return rule;
  }

  /**
   * Throttles, as AWS does, the calls {@code match} selects beyond {@code perSecond} a second
   * (bursts of one second's calls): a client that slows down to the rate is no longer throttled.
   */
  public FaultRule limitRate(Predicate<Call> match, double perSecond) {
    FaultRule rule = new FaultRule(match, 1.0, Fault.THROTTLE, Duration.ZERO, perSecond);
    faults.add(rule);
    return rule;
  }

  /**
   * Answers the next {@code times} calls {@code match} selects itself, without forwarding them:
   * what AWS answers where the emulator differs.
   */
  public void answer(
      Predicate<Call> match, int times, int status, String contentType, String body) {
    answers.add(new Answer(match, new AtomicInteger(times), status, contentType, body));
  }

  /** The calls so far, in the order they came. */
  public List<Call> calls() {
    synchronized (calls) {
      return calls.stream().map(Seen::call).toList();
    }
  }

  /** How many calls so far {@code match} selects. */
  /**
   * When the first call from the {@code from}th on that {@code match} selects arrived, in {@link
   * System#nanoTime()}'s time; empty when none has.
   */
  public OptionalLong arrivalOfFirst(int from, Predicate<Call> match) {
    synchronized (calls) {
      return calls.subList(Math.min(from, calls.size()), calls.size()).stream()
          .filter(seen -> match.test(seen.call()))
          .mapToLong(Seen::nanos)
          .findFirst();
    }
  }

  public long count(Predicate<Call> match) {
    synchronized (calls) {
      return calls.stream().filter(seen -> match.test(seen.call())).count();
    }
  }

  /**
   * The most calls {@code match} selects that came within any one {@code window} (a sliding window
   * over the calls so far): the peak rate, in calls per window.
   */
  public long peak(Predicate<Call> match, Duration window) {
    long[] times;
    synchronized (calls) {
      times =
          calls.stream().filter(seen -> match.test(seen.call())).mapToLong(Seen::nanos).toArray();
    }
    long peak = 0;
    int first = 0;
    for (int last = 0; last < times.length; last++) {
      while (times[last] - times[first] >= window.toNanos()) {
        first++;
      }
      peak = Math.max(peak, last - first + 1);
    }
    return peak;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      URI uri = exchange.getRequestURI();
      String[] scope = scope(exchange.getRequestHeaders().getFirst("Authorization"));
      Call call =
          new Call(
              exchange.getRequestMethod(),
              uri.getRawPath(),
              uri.getRawQuery(),
              exchange.getRequestHeaders().getFirst("X-Amz-Target"),
              scope == null ? null : scope[3],
              scope == null ? null : scope[2],
              body);
      synchronized (calls) {
        calls.add(new Seen(call, System.nanoTime()));
      }
      boolean answerLost = false;
      for (FaultRule rule : faults) {
        if (rule.selects(call)) {
          if (rule.fault == Fault.LOST_ANSWER) {
            answerLost = true;
          } else if (!injected(rule, call, exchange)) {
            return;
          }
        }
      }
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
      if (answerLost) {
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

  /**
   * Does what the rule's fault does to the call; true when the call then goes on to the endpoint
   * (latency), false when the fault answered it or dropped it.
   */
  private static boolean injected(FaultRule rule, Call call, HttpExchange exchange)
      throws IOException {
    switch (rule.fault) {
      case LATENCY, TIMEOUT -> {
        try {
          Thread.sleep(rule.delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
        return rule.fault == Fault.LATENCY;
      }
      case RESET -> {
        // Closing the exchange before any answer closes the connection: the client reads EOF.
        return false;
      }
      default -> {
        ErrorAnswer error = ErrorAnswer.of(rule.fault, call);
        byte[] answer = error.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", error.contentType());
        exchange.getResponseHeaders().add("x-amzn-RequestId", "proxy");
        if (error.errorType() != null) {
          exchange.getResponseHeaders().add("x-amzn-ErrorType", error.errorType());
        }
        exchange.sendResponseHeaders(error.status(), answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
        return false;
      }
    }
  }

  /**
   * The parts of a SigV4 {@code Authorization} header's scope, {@code
   * key/date/region/service/aws4_request}; null when the call was not signed.
   */
  private static String[] scope(String authorization) {
    if (authorization == null) {
      return null;
    }
    int credential = authorization.indexOf("Credential=");
    if (credential < 0) {
      return null;
    }
    String[] scope = authorization.substring(credential + 11).split("[,\\s]")[0].split("/");
    return scope.length >= 5 ? scope : null;
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
