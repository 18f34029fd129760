package io.graphsync.dev;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

/** Loopback port helpers. */
public final class Ports {

  private Ports() {}

  /** A port that was free a moment ago on 127.0.0.1. */
  public static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new DevStackException("cannot find a free loopback port: " + e.getMessage(), e);
    }
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
          "port " + port + " for " + what + " is busy: stop what uses it, or choose another with " + envVar + "=<port>");
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
