package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.service.SandboxContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole emulated Elastic Beanstalk state: one {@link EbRegion} per region, plus the simulated
 * behaviour of environments by name. Plain public fields so that Jackson persists it as is to
 * {@code eb.json}; times are epoch milliseconds of real (scaled) time.
 */
final class EbModel {
  /** Bumped when the persisted shape changes incompatibly. */
  public int schema = 1;

  public Map<String, EbRegion> regions = new TreeMap<>();

  /** Behaviour for later deploys, by environment name (configured before or after creation). */
  public Map<String, Behaviour> behaviours = new TreeMap<>();

  /** Source of event and environment sequence numbers. */
  public long sequence;

  long next() {
    return ++sequence;
  }

  EbRegion region(String name) {
    return regions.computeIfAbsent(name, n -> new EbRegion());
  }

  /** How an environment behaves in its deploys; null members mean the default. */
  static final class Behaviour {
    public Double deploySeconds;
    public String health;
  }

  /** One region's applications, environments and events. */
  static final class EbRegion {
    public Map<String, EbApplication> applications = new TreeMap<>();

    /** Every environment ever created here, terminated ones included, in creation order. */
    public List<EbEnvironment> environments = new ArrayList<>();

    /** Every event, in the order emitted. */
    public List<EbEvent> events = new ArrayList<>();

    /** The environment of this name that is not Terminated, or null. */
    EbEnvironment liveEnvironment(String name) {
      for (EbEnvironment e : environments) {
        if (e.name.equals(name) && !"Terminated".equals(e.status)) {
          return e;
        }
      }
      return null;
    }

    int versionCount() {
      int n = 0;
      for (EbApplication a : applications.values()) {
        n += a.versions.size();
      }
      return n;
    }
  }

  /** An application, its versions and its tags. */
  static final class EbApplication {
    public String name;
    public String description;
    public long created;
    public long updated;
    public Map<String, String> tags = new LinkedHashMap<>();

    /** Versions by label. */
    public Map<String, EbVersion> versions = new LinkedHashMap<>();

    String arn(String region) {
      return "arn:aws:elasticbeanstalk:"
          + region
          + ":"
          + SandboxContext.ACCOUNT_ID
          + ":application/"
          + name;
    }
  }

  /** An application version. */
  static final class EbVersion {
    public String label;
    public String description;
    public String bucket;
    public String key;
    public long created;
    public long updated;

    /** As Beanstalk answers it: UNPROCESSED, PROCESSING, PROCESSED, FAILED. */
    public String status;

    /** When a PROCESSING version finishes processing. */
    public Long processedAt;

    /** Why processing fails at {@link #processedAt}, or null when it succeeds. */
    public String failure;

    public Map<String, String> tags = new LinkedHashMap<>();
  }

  /** One event as DescribeEvents lists it. */
  static final class EbEvent {
    public long seq;
    public long date;
    public String severity;
    public String message;
    public String application;
    public String environment;
    public String environmentId;
    public String versionLabel;
    public String requestId;
    public String platformArn;
  }
}
