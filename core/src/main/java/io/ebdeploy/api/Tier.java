package io.ebdeploy.api;

/** An environment's tier: {@code WebServer} or {@code Worker} in Beanstalk's terms. */
public enum Tier {
  WEB,
  WORKER;

  /** Maps Beanstalk's {@code EnvironmentTier.Name}; anything but {@code Worker} is web. */
  public static Tier fromBeanstalk(String tierName) {
    return "Worker".equalsIgnoreCase(tierName) ? WORKER : WEB;
  }
}
