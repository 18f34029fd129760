package io.graphsync.dev;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Loopback port helpers. */
public final class Ports {

  private Ports() {}

  /**
   * Below Linux's ephemeral range (32768-60999): the ports of outgoing connections come from there, so a port
   * picked there and bound a few seconds later by a child process can meanwhile be taken by any client socket
   * (seen in CI: the Temporal dev server failing with "address already in use").
   */
  private static final int FIRST = 20_000;
  private static final int LAST = 32_000;

  /**
   * Every port this JVM handed out: a server is often given several ports before it binds any of them, so a port
   * that is still free when asked again may already be promised (seen in CI: the Temporal dev server's UI port was
   * another server's port of the same test).
   */
  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  /** A port that was free a moment ago on 127.0.0.1, outside the ephemeral range, and never handed out before here. */
  public static int free() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    IOException last = null;
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = random.nextInt(FIRST, LAST + 1);
      if (GIVEN.contains(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        if (GIVEN.add(port)) {
          return socket.getLocalPort();
        }
      } catch (IOException busy) {
        last = busy;
      }
    }
    throw new DevStackException("cannot find a free loopback port in " + FIRST + "-" + LAST + ": "
        + (last == null ? "" : last.getMessage()), last);
  }

  /** Whether something accepts TCP connections on 127.0.0.1:port. */
  public static boolean isListening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Fails with one actionable line when a port we are about to use is taken. */
  public static void requireFree(int port, String what, String envVar) {
    if (isListening(port)) {
      throw new DevStackException(
          "port " + port + " for " + what + " is busy: stop what uses it, or choose another with "
              + envVar + "=<port>");
    }
  }

  /** Waits until 127.0.0.1:port accepts connections. */
  public static boolean awaitListening(int port, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (isListening(port)) {
        return true;
      }
      sleep(100);
    }
    return false;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted", e);
    }
  }
}
