package dev.jack.testenv;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forwards TCP connections from an address of the host to a loopback port: what pods reach of a
 * server that listens on loopback only (moto, say), as a node's host port would; and how many
 * connections a client opened to a server (the API server), when the client is given the relay's
 * port.
 */
public final class TcpRelay implements AutoCloseable {

  private final ServerSocket server;
  private final int target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private final AtomicInteger accepted = new AtomicInteger();

  private TcpRelay(ServerSocket server, int target) {
    this.server = server;
    this.target = target;
    this.acceptor = new Thread(this::accept, "relay-" + server.getLocalPort() + "-" + target);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Listens on a free port of {@code address} and relays to {@code 127.0.0.1:targetPort}. */
  public static TcpRelay start(InetAddress address, int targetPort) {
    try {
      ServerSocket server = new ServerSocket();
      server.bind(new InetSocketAddress(address, 0), 50);
      return new TcpRelay(server, targetPort);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** How many connections the relay has accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        accepted.incrementAndGet();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        // Closed, or the target refused this one connection: the client sees it closed.
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // One side closed: the connection ends.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "relay-pump-" + from.getPort());
    thread.setDaemon(true);
    thread.start();
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Already closed.
    }
    open.forEach(this::closeQuietly);
  }
}
