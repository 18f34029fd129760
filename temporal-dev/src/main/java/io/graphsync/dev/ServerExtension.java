package io.graphsync.dev;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Starts one shared dev-stack server before a test class and injects it as a parameter. */
abstract class ServerExtension<S> implements BeforeAllCallback, ParameterResolver {

  private final Class<S> type;
  private final Supplier<S> server;

  ServerExtension(Class<S> type, Supplier<S> server) {
    this.type = type;
    this.server = server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server.get();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == type;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server.get();
  }
}
