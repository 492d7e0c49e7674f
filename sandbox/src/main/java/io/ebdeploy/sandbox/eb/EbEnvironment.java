package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.service.SandboxContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An emulated environment. Its in-progress operation is a list of {@link Step}s with absolute
 * instants: every request first applies the steps that are due ({@link Timeline} "advances" the
 * model lazily), so no thread runs in the background and a restart resumes where it stopped.
 */
final class EbEnvironment {
  public long seq;
  public String id;
  public String name;
  public String application;
  public String region;
  public String description;
  public String tierName;
  public String tierType;
  public String tierVersion;
  public String solutionStack;
  public String platformArn;
  public String versionLabel;
  public String cname;
  public String endpointUrl;
  public long created;
  public long updated;
  public Long terminated;
  public String status;
  public String health;
  public String healthStatus;
  public boolean abortable;
  public List<Option> options = new ArrayList<>();

  /** User tags, without the three system tags Beanstalk adds (see {@link #allTags()}). */
  public Map<String, String> tags = new LinkedHashMap<>();

  /** The operation in progress (deploy, configuration update, launch, termination), or null. */
  public Operation operation;

  /** What is still to happen, in order; steps may outlive the operation (health recovery). */
  public List<Step> steps = new ArrayList<>();

  boolean live() {
    return !"Terminated".equals(status) && !"Terminating".equals(status);
  }

  boolean worker() {
    return "Worker".equals(tierName);
  }

  String arn() {
    return "arn:aws:elasticbeanstalk:"
        + region
        + ":"
        + SandboxContext.ACCOUNT_ID
        + ":environment/"
        + application
        + "/"
        + name;
  }

  /** The SQS queue a worker environment reads. */
  String workerQueueName() {
    return "awseb-" + id + "-stack-AWSEBWorkerQueue-" + id.substring(2).toUpperCase(Locale.ROOT);
  }

  /**
   * Starts an operation on a Ready environment: it keeps its label unless the caller changes the
   * target, takes the new status at once, and drops whatever steps were left.
   */
  Operation begin(String kind, String requestId, long now, String status) {
    Operation op = new Operation();
    op.kind = kind;
    op.requestId = requestId;
    op.previousLabel = versionLabel;
    op.targetLabel = versionLabel;
    op.started = now;
    operation = op;
    steps.clear();
    this.status = status;
    abortable = false;
    updated = now;
    return op;
  }

  /** The tags Beanstalk reports: its three system tags, then the user's. */
  Map<String, String> allTags() {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("elasticbeanstalk:environment-name", name);
    all.put("elasticbeanstalk:environment-id", id);
    all.put("Name", name);
    all.putAll(tags);
    return all;
  }

  /** What an in-progress operation is and what to restore when it fails or is aborted. */
  static final class Operation {
    /** launch, deploy, configure, terminate. */
    public String kind;

    public String requestId;
    public String targetLabel;
    public String previousLabel;
    public List<Option> previousOptions;
    public String previousSolutionStack;
    public String previousPlatformArn;
    public long started;
  }

  /**
   * One scheduled change: at {@code at}, optionally emit an event, then set the members that are
   * not null.
   */
  static final class Step {
    public long at;
    public String severity;
    public String message;
    public String status;
    public String health;
    public String healthStatus;
    public Boolean abortable;
    public String versionLabel;

    /**
     * The step sets the version label, possibly to none (a revert to an environment's first state).
     */
    public boolean setsLabel;

    /** Puts the operation's previous option settings back. */
    public boolean restoreOptions;

    /** Sets health to the environment's configured settled health. */
    public boolean settleHealth;

    /** The operation is over after this step. */
    public boolean endOperation;

    Step() {}

    Step(long at) {
      this.at = at;
    }

    Step event(String severity, String message) {
      this.severity = severity;
      this.message = message;
      return this;
    }

    Step status(String status) {
      this.status = status;
      return this;
    }

    Step health(String health, String healthStatus) {
      this.health = health;
      this.healthStatus = healthStatus;
      return this;
    }

    Step label(String label) {
      this.versionLabel = label;
      this.setsLabel = true;
      return this;
    }

    Step abortable(boolean abortable) {
      this.abortable = abortable;
      return this;
    }

    Step restoreOptions() {
      this.restoreOptions = true;
      return this;
    }

    Step settle() {
      this.settleHealth = true;
      return this;
    }

    Step end() {
      this.endOperation = true;
      return this;
    }
  }
}
