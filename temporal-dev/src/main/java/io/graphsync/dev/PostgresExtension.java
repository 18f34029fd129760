package io.graphsync.dev;

/**
 * JUnit 5: {@code @ExtendWith(PostgresExtension.class)} starts the shared {@link PostgresServer} (once per test JVM)
 * and injects it into test methods, constructors and lifecycle methods.
 */
public final class PostgresExtension extends ServerExtension<PostgresServer> {

  public PostgresExtension() {
    super(PostgresServer.class, () -> DevStack.shared().postgres());
  }
}
