package io.pando.aggregator.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This replica's name: {@code pando.instance}, else the host name, else {@code "pando"}. */
public final class InstanceName {
  private InstanceName() {}

  public static String of(PandoConfig config) {
    return config.instance().filter(s -> !s.isBlank()).orElseGet(InstanceName::host);
  }

  private static String host() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "pando";
    }
  }
}
