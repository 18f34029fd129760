package io.graphsync.dev;

/**
 * JUnit 5: {@code @ExtendWith(TemporalExtension.class)} starts the shared {@link TemporalDevServer} (once per test
 * JVM) and injects it into test methods, constructors and lifecycle methods.
 */
public final class TemporalExtension extends ServerExtension<TemporalDevServer> {

  public TemporalExtension() {
    super(TemporalDevServer.class, () -> DevStack.shared().temporal());
  }
}
