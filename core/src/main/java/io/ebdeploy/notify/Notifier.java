package io.ebdeploy.notify;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.DeployFailedException;
import io.ebdeploy.api.DeployListener;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.Notification;
import io.ebdeploy.bundle.Attribution;
import io.ebdeploy.bundle.Bundler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack notifications about deploys (docs/slack.md). Built from {@link DeployConfig#slack()} and
 * the environment: the webhook URL and the bot token are read from the variables the config names
 * and never leave this object (not in {@link #toString()}, logs, errors or reports).
 *
 * <p>Token mode (the token variable is set and {@code slack.channel} too) posts one message when
 * the deploy starts, updates it ({@code chat.update}) as environments progress, at most once per
 * {@link Builder#updateInterval} unless an environment's verdict changed, and replies in its thread
 * with the failure details. Webhook mode posts a start and an end message.
 *
 * <p>A notification that fails (network, HTTP 4xx/5xx, {@code rate_limited} after one retry) is
 * logged and listed in the result's {@link DeployResult#notifications()}; it never changes the
 * deploy's outcome. Wire it in with {@code EbDeploy.notifier(Notifier)}.
 */
public final class Notifier {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

  private final Sender sender;
  private final Map<String, String> env;
  private final Optional<String> commit;
  private final Duration updateInterval;
  private final Clock clock;

  private Notifier(Builder b, Sender sender) {
    this.sender = sender;
    this.env = b.env;
    this.commit = b.commit;
    this.updateInterval = b.updateInterval;
    this.clock = b.clock;
  }

  /** Notifications per the config and environment; empty when neither variable is set. */
  public static Optional<Notifier> fromConfig(DeployConfig.Slack slack, Map<String, String> env) {
    return builder(slack, env).build();
  }

  public static Builder builder(DeployConfig.Slack slack, Map<String, String> env) {
    return new Builder(slack, env);
  }

  /**
   * Why {@link #fromConfig} would be empty, for {@code notify-test}: names variables, never values.
   */
  public static String notConfiguredReason(DeployConfig.Slack slack, Map<String, String> env) {
    if (set(env, slack.tokenEnv()) && slack.channel().isEmpty()) {
      return slack.tokenEnv()
          + " is set but slack.channel is not (token mode needs a channel), and "
          + slack.webhookEnv()
          + " is not set";
    }
    return "neither "
        + slack.webhookEnv()
        + " (incoming webhook) nor "
        + slack.tokenEnv()
        + " with slack.channel (bot token) is set";
  }

  /** {@code webhook} or {@code token}. */
  public String mode() {
    return sender.mode();
  }

  /** E.g. {@code webhook from SLACK_WEBHOOK_URL}: the mode and the variable, never the secret. */
  public String describe() {
    return sender.describe();
  }

  @Override
  public String toString() {
    return "Notifier[" + describe() + "]";
  }

  /** Sends a sample message ({@code eb-deploy notify-test}). */
  public Notification sendTest() {
    Message m = Messages.test(mode(), Bundler.deployedBy(env));
    try {
      sender.post(m, Optional.empty());
      return Notification.ok("test");
    } catch (SlackFailure e) {
      LOG.warn("Slack notification test failed: {}", e.getMessage());
      return Notification.failed("test", e.getMessage());
    }
  }

  /** Releases the HTTP client's threads. */
  public void close() {
    sender.close();
  }

  /**
   * Runs a deploy with notifications: {@code deploy} receives the listener to pass to the engine
   * (it forwards every event to {@code downstream} first). Returns or throws what the deploy did,
   * with the notifications added to the result.
   */
  public DeployResult run(
      String group, DeployListener downstream, Function<DeployListener, DeployResult> deploy) {
    Attribution who = Attribution.of(env, Optional.empty());
    return run(
        "deploy",
        group,
        new Attribution(commit.or(who::commit), who.startedBy()),
        downstream,
        deploy);
  }

  /**
   * {@link #run(String, DeployListener, Function)} for a {@code deploy} or a {@code rollback},
   * naming the commit and who started it ({@code EbDeploy} passes what it found).
   */
  public DeployResult run(
      String command,
      String group,
      Attribution attribution,
      DeployListener downstream,
      Function<DeployListener, DeployResult> deploy) {
    Session session = new Session(command, group, attribution);
    DeployListener tee =
        event -> {
          try {
            downstream.onEvent(event);
          } finally {
            session.onEvent(event);
          }
        };
    DeployResult result;
    try {
      result = deploy.apply(tee);
    } catch (DeployFailedException e) {
      session.end(e.result());
      throw new DeployFailedException(new NotifiedResult(e.result(), session.sent));
    } catch (EbDeployException e) {
      session.end(e);
      throw e.notifications(session.sent);
    }
    session.end(result);
    return new NotifiedResult(result, session.sent);
  }

  /** One deploy's messages. */
  private final class Session {
    final DeployState state;
    final List<Notification> sent = new ArrayList<>();
    boolean started;
    Optional<Sender.Posted> posted = Optional.empty();
    Instant lastUpdate = Instant.EPOCH;
    boolean dirty;
    boolean updatesBroken;

    Session(String command, String group, Attribution attribution) {
      state = new DeployState(command, group, clock.instant());
      state.actor = attribution.startedBy();
      state.ciUrl = ciUrl(env);
      state.commit = attribution.commit();
    }

    void onEvent(DeployEvent event) {
      try {
        boolean verdict = state.apply(event);
        // A deploy is announced once its label is known (its bundle made); a rollback, which
        // builds nothing, at its first update.
        if (event instanceof DeployEvent.BundleCreated
            || (state.rollback() && event instanceof DeployEvent.UpdateRequested)) {
          start();
          return;
        }
        if (!started || !"token".equals(mode()) || updatesBroken || posted.isEmpty()) {
          return;
        }
        dirty = true;
        Instant now = clock.instant();
        if (verdict || !now.isBefore(lastUpdate.plus(updateInterval))) {
          update("update");
        }
      } catch (RuntimeException e) {
        LOG.warn("Slack notification skipped: {}", e.getClass().getSimpleName());
      }
    }

    void start() {
      if (started) {
        return;
      }
      started = true;
      state.startedAt = clock.instant();
      posted = send("start", () -> sender.post(Messages.deploy(state), Optional.empty()));
      lastUpdate = clock.instant();
    }

    void update(String kind) {
      Sender.Posted where = posted.orElseThrow();
      Optional<Sender.Posted> ok =
          send(
              kind,
              () -> {
                sender.update(where, Messages.deploy(state));
                return Optional.of(where);
              });
      if (ok.isEmpty() && kind.equals("update")) {
        updatesBroken = true; // stop progress updates; the final notice still goes
      }
      dirty = false;
      lastUpdate = clock.instant();
    }

    void end(DeployResult r) {
      if (!started) {
        // The deploy stopped before its label was known: nothing was announced.
        if (r == null) {
          return;
        }
        started = true;
      }
      state.finish(r);
      finish();
    }

    void end(EbDeployException e) {
      if (!started && e.kind() != EbDeployException.Kind.LOCKED) {
        return; // refused before anything was announced: nothing changed
      }
      DeployState.Outcome o =
          switch (e.kind()) {
            case LOCKED -> DeployState.Outcome.LOCKED;
            case INTERRUPTED -> DeployState.Outcome.INTERRUPTED;
            case ROLLBACK_FAILED -> DeployState.Outcome.ROLLBACK_FAILED;
            default -> DeployState.Outcome.FAILED;
          };
      state.finish(o, sender.scrub(String.valueOf(e.getMessage())), clock.instant());
      finish();
    }

    private void finish() {
      Message m = Messages.deploy(state);
      if ("token".equals(mode()) && posted.isPresent()) {
        update("end");
      } else {
        Optional<Sender.Posted> p = send("end", () -> sender.post(m, Optional.empty()));
        posted = posted.or(() -> p);
      }
      boolean failed =
          state.outcome != DeployState.Outcome.SUCCEEDED
              && (state.failure.isPresent() || !state.failureEvents.isEmpty());
      if ("token".equals(mode()) && failed && posted.isPresent()) {
        send("details", () -> sender.post(Messages.details(state), posted));
      }
    }

    interface Send {
      Optional<Sender.Posted> run() throws SlackFailure;
    }

    private Optional<Sender.Posted> send(String kind, Send s) {
      try {
        Optional<Sender.Posted> p = s.run();
        sent.add(Notification.ok(kind));
        return p.isPresent() ? p : Optional.empty();
      } catch (SlackFailure e) {
        LOG.warn("Slack {} notification failed: {}", kind, e.getMessage());
        sent.add(Notification.failed(kind, e.getMessage()));
        return Optional.empty();
      } catch (RuntimeException e) {
        String msg =
            "could not notify Slack: " + e.getClass().getSimpleName() + " (" + describe() + ")";
        LOG.warn("Slack {} notification failed: {}", kind, msg);
        sent.add(Notification.failed(kind, msg));
        return Optional.empty();
      }
    }
  }

  /** GitHub Actions' link to the run, when its variables are there. */
  static Optional<String> ciUrl(Map<String, String> env) {
    String server = env.get("GITHUB_SERVER_URL");
    String repo = env.get("GITHUB_REPOSITORY");
    String run = env.get("GITHUB_RUN_ID");
    if (set(env, "GITHUB_SERVER_URL")
        && set(env, "GITHUB_REPOSITORY")
        && set(env, "GITHUB_RUN_ID")) {
      return Optional.of(server.strip() + "/" + repo.strip() + "/actions/runs/" + run.strip());
    }
    return Optional.empty();
  }

  private static boolean set(Map<String, String> env, String name) {
    String v = env.get(name);
    return v != null && !v.isBlank();
  }

  /** Settings; {@link #build()} picks the mode from the variables that are set. */
  public static final class Builder {
    private final DeployConfig.Slack slack;
    private final Map<String, String> env;
    private Optional<String> commit = Optional.empty();
    private Duration timeout = Duration.ofSeconds(5);
    private Duration maxRetryWait = Duration.ofSeconds(10);
    private Duration updateInterval = Duration.ofSeconds(5);
    private Optional<String> methodsEndpointUrlPrefix = Optional.empty();
    private Clock clock = Clock.systemUTC();

    private Builder(DeployConfig.Slack slack, Map<String, String> env) {
      this.slack = Objects.requireNonNull(slack, "slack");
      this.env = Map.copyOf(env);
    }

    /**
     * The commit deployed, for {@link Notifier#run(String, DeployListener, Function)}; {@code
     * EbDeploy} names it itself.
     */
    public Builder commit(String commit) {
      this.commit = Optional.ofNullable(commit).filter(s -> !s.isBlank());
      return this;
    }

    /** Connect and read timeout of each call (the call as a whole: twice). Default 5 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout);
      return this;
    }

    /** The longest {@code Retry-After} honoured (once). Default 10 s. */
    public Builder maxRetryWait(Duration maxRetryWait) {
      this.maxRetryWait = Objects.requireNonNull(maxRetryWait);
      return this;
    }

    /** Token mode: the least time between progress updates. Default 5 s. */
    public Builder updateInterval(Duration updateInterval) {
      this.updateInterval = Objects.requireNonNull(updateInterval);
      return this;
    }

    /** Where Web API methods go, e.g. a test server's {@code http://127.0.0.1:PORT/api/}. */
    public Builder methodsEndpointUrlPrefix(String prefix) {
      this.methodsEndpointUrlPrefix = Optional.ofNullable(prefix);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** The notifier, or empty when neither mode is configured. */
    public Optional<Notifier> build() {
      Sender.Settings settings =
          new Sender.Settings(timeout, maxRetryWait, methodsEndpointUrlPrefix);
      Sender sender = null;
      if (set(env, slack.tokenEnv()) && slack.channel().isPresent()) {
        sender =
            new Sender.Token(
                settings,
                env.get(slack.tokenEnv()).strip(),
                slack.tokenEnv(),
                slack.channel().get());
      } else if (set(env, slack.webhookEnv())) {
        sender =
            new Sender.Webhook(settings, env.get(slack.webhookEnv()).strip(), slack.webhookEnv());
      }
      return Optional.ofNullable(sender).map(s -> new Notifier(this, s));
    }
  }
}
