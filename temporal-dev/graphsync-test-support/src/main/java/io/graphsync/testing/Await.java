package io.graphsync.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for what the real servers do, instead of fixed sleeps: {@link #until} polls a condition until it holds,
 * {@link #staysTrue} checks that nothing happens for a while. A condition that throws fails the test at once.
 */
public final class Await {

  /** How long {@link #until(String, Callable)} waits. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /** Polls start every 50 ms and back off to every 250 ms: quick answers stay quick, long waits stay light. */
  private static final long FIRST_POLL_MILLIS = 50;
  private static final long MAX_POLL_MILLIS = 250;

  private Await() {}

  /** Waits up to {@link #DEFAULT_TIMEOUT} until {@code condition} holds; {@code what} names it in the failure. */
  public static void until(String what, Callable<Boolean> condition) {
    until(what, DEFAULT_TIMEOUT, condition);
  }

  /** Waits up to {@code timeout} until {@code condition} holds; {@code what} names it in the failure. */
  public static void until(String what, Duration timeout, Callable<Boolean> condition) {
    until(what, timeout, condition, Boolean.TRUE::equals);
  }

  /** As {@link #until(String, Duration, Callable)}, with a description made when the wait fails (e.g. a state). */
  public static void until(Supplier<String> what, Duration timeout, Callable<Boolean> condition) {
    try {
      until("the condition", timeout, condition);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage().replace("the condition", what.get()), e.getCause());
    }
  }

  /** Waits up to {@code timeout} until the value {@code probe} returns satisfies {@code done}, and returns it. */
  public static <T> T until(String what, Duration timeout, Callable<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long poll = FIRST_POLL_MILLIS;
    while (true) {
      T value = call(what, probe);
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what + " (last: " + value + ")");
      }
      sleep(what, poll);
      poll = Math.min(MAX_POLL_MILLIS, poll * 3 / 2);
    }
  }

  /** Checks for the whole of {@code duration} that {@code condition} keeps holding: that nothing happens. */
  public static void staysTrue(String what, Duration duration, Callable<Boolean> condition) {
    long end = System.nanoTime() + duration.toNanos();
    do {
      if (!Boolean.TRUE.equals(call(what, condition))) {
        throw new AssertionError("no longer true: " + what);
      }
      sleep(what, FIRST_POLL_MILLIS);
    } while (System.nanoTime() - end < 0);
    if (!Boolean.TRUE.equals(call(what, condition))) {
      throw new AssertionError("no longer true at the end: " + what);
    }
  }

  private static <T> T call(String what, Callable<T> probe) {
    try {
      return probe.call();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting until " + what, e);
    } catch (Exception e) {
      throw new AssertionError("checking " + what + " failed: " + e, e);
    }
  }

  private static void sleep(String what, long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting until " + what, e);
    }
  }
}
