package io.graphsync.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** graphsync's worker application: Temporal workers, capture, REST and actuator. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GraphsyncApplication {

  public static void main(String[] args) {
    SpringApplication.run(GraphsyncApplication.class, args);
  }
}
