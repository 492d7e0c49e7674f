package io.ebdeploy.deploy;

import io.ebdeploy.bundle.Bundler;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Who runs this deploy, as its lock and record name it: the deployer, the machine, the process and
 * the CI run. {@code pidSpace} tells whether another process id can be checked from here: on Linux
 * it is the boot id and the pid namespace, so a lock left by a killed process in the same pid space
 * (same machine, same container) is recognised at once instead of after the lock's TTL.
 */
record Identity(
    String owner,
    String host,
    long pid,
    String pidStart,
    String pidSpace,
    Optional<String> ciRunUrl) {

  private static volatile Identity current;

  /** This process. */
  static Identity current() {
    Identity i = current;
    if (i == null) {
      Map<String, String> env = System.getenv();
      ProcessHandle self = ProcessHandle.current();
      String host = hostName(env);
      i =
          new Identity(
              Bundler.deployedBy(env),
              host,
              self.pid(),
              self.info().startInstant().map(Instant::toString).orElse(""),
              pidSpace(host),
              ciRunUrl(env));
      current = i;
    }
    return i;
  }

  /**
   * True only when the process that wrote a lock is known to be gone: it ran in this pid space and
   * its pid is not alive (or belongs to a process started at another time).
   */
  boolean knowsDead(String otherPidSpace, long otherPid, String otherPidStart) {
    if (otherPidSpace == null || otherPidSpace.isEmpty() || !otherPidSpace.equals(pidSpace)) {
      return false;
    }
    Optional<ProcessHandle> p = ProcessHandle.of(otherPid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return true;
    }
    if (otherPidStart == null || otherPidStart.isEmpty()) {
      return false;
    }
    return p.get()
        .info()
        .startInstant()
        .map(s -> !s.toString().equals(otherPidStart))
        .orElse(false);
  }

  /** The CI run's URL from the variables CI services set. */
  static Optional<String> ciRunUrl(Map<String, String> env) {
    String gh = env.get("GITHUB_RUN_ID");
    if (notBlank(gh) && notBlank(env.get("GITHUB_REPOSITORY"))) {
      String server =
          notBlank(env.get("GITHUB_SERVER_URL"))
              ? env.get("GITHUB_SERVER_URL")
              : "https://github.com";
      return Optional.of(server + "/" + env.get("GITHUB_REPOSITORY") + "/actions/runs/" + gh);
    }
    for (String key :
        new String[] {"CI_JOB_URL", "BUILD_URL", "CIRCLE_BUILD_URL", "BUILDKITE_BUILD_URL"}) {
      if (notBlank(env.get(key))) {
        return Optional.of(env.get(key));
      }
    }
    return Optional.empty();
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  private static String hostName(Map<String, String> env) {
    try {
      Path etc = Path.of("/etc/hostname");
      if (Files.isReadable(etc)) {
        String h = Files.readString(etc).trim();
        if (!h.isEmpty()) {
          return h;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    for (String key : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
      if (notBlank(env.get(key))) {
        return env.get(key);
      }
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  private static String pidSpace(String host) {
    try {
      Path boot = Path.of("/proc/sys/kernel/random/boot_id");
      Path ns = Path.of("/proc/self/ns/pid");
      if (Files.isReadable(boot) && Files.exists(ns)) {
        return "linux:"
            + Files.readString(boot).trim()
            + ":"
            + Files.readSymbolicLink(ns)
            + ":"
            + host;
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    // Elsewhere pids are only compared on the same host name; no containers share one there.
    return System.getProperty("os.name", "os") + ":" + host;
  }
}
