package io.ebdeploy.notify;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsConfig;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.util.http.SlackHttpClient;
import com.slack.api.webhook.Payload;
import com.slack.api.webhook.WebhookResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * Sends messages in one mode. Every call is time-boxed (connect, read and call timeouts); a {@code
 * rate_limited} answer (HTTP 429) is retried once after its {@code Retry-After} (capped); nothing
 * else is retried. Failures are {@link SlackFailure}s whose messages never contain the secret.
 */
abstract sealed class Sender permits Sender.Webhook, Sender.Token {
  /** Where a posted message is, to update it or reply in its thread (token mode). */
  record Posted(String channel, String ts) {}

  final Slack slack;
  final String secret;
  final String source;
  final Duration maxRetryWait;

  Sender(Settings settings, String secret, String source) {
    this.slack = slack(settings);
    this.secret = secret;
    this.source = source;
    this.maxRetryWait = settings.maxRetryWait();
  }

  /** Timeouts and test endpoints. */
  record Settings(
      Duration timeout, Duration maxRetryWait, Optional<String> methodsEndpointUrlPrefix) {}

  static Slack slack(Settings s) {
    SlackConfig config = new SlackConfig();
    // The default listeners log each request's URL at debug level: a webhook URL is a secret.
    config.setHttpClientResponseHandlers(new ArrayList<>());
    config.setPrettyResponseLoggingEnabled(false);
    config.setLibraryMaintainerMode(false);
    config.setFailOnUnknownProperties(false);
    // No metrics: they cost an auth.test call and background threads.
    MethodsConfig methods = new MethodsConfig();
    methods.setStatsEnabled(false);
    config.setMethodsConfig(methods);
    int millis = (int) s.timeout().toMillis();
    config.setHttpClientReadTimeoutMillis(millis);
    config.setHttpClientWriteTimeoutMillis(millis);
    config.setHttpClientCallTimeoutMillis(millis * 2);
    s.methodsEndpointUrlPrefix().ifPresent(config::setMethodsEndpointUrlPrefix);
    OkHttpClient ok =
        SlackHttpClient.buildOkHttpClient(config)
            .newBuilder()
            .connectTimeout(millis, TimeUnit.MILLISECONDS)
            .retryOnConnectionFailure(false)
            .build();
    SlackHttpClient http = new SlackHttpClient(ok);
    http.setConfig(config);
    return Slack.getInstance(config, http);
  }

  /** {@code webhook} or {@code token}. */
  abstract String mode();

  /** Posts a new message; in token mode, in {@code threadOf}'s thread when given. */
  abstract Optional<Posted> post(Message m, Optional<Posted> threadOf) throws SlackFailure;

  /** Replaces a posted message (token mode only). */
  void update(Posted where, Message m) throws SlackFailure {
    throw new UnsupportedOperationException("update in " + mode() + " mode");
  }

  /** Closes the HTTP client's threads. */
  void close() {
    try {
      slack.close();
    } catch (Exception e) {
      // nothing to do
    }
  }

  String describe() {
    return mode() + " from " + source;
  }

  SlackFailure failure(String what) {
    return new SlackFailure(scrub(what) + " (" + describe() + ")");
  }

  /** Belt and braces: a message that somehow quotes the secret loses it. */
  String scrub(String s) {
    return secret.isEmpty() ? s : s.replace(secret, "<" + source + ">");
  }

  SlackFailure ioFailure(IOException e) {
    return failure("network error talking to Slack: " + e.getClass().getSimpleName());
  }

  /** Sleeps for a 429's Retry-After, capped; false when interrupted (then: no retry). */
  boolean waitRetryAfter(Optional<String> header) {
    long seconds = 1;
    try {
      seconds = header.map(String::trim).map(Long::parseLong).orElse(1L);
    } catch (NumberFormatException e) {
      // keep 1
    }
    long millis = Math.min(Math.max(0, seconds) * 1000, maxRetryWait.toMillis());
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Incoming webhook: a POST of the payload to the URL; no updates. */
  static final class Webhook extends Sender {
    Webhook(Settings settings, String url, String source) {
      super(settings, url, source);
    }

    @Override
    String mode() {
      return "webhook";
    }

    @Override
    Optional<Posted> post(Message m, Optional<Posted> threadOf) throws SlackFailure {
      Payload payload = Payload.builder().text(m.text()).blocks(m.blocks()).build();
      for (int attempt = 1; ; attempt++) {
        WebhookResponse r;
        try {
          r = slack.send(secret, payload);
        } catch (IOException e) {
          throw ioFailure(e);
        } catch (RuntimeException e) {
          throw failure("could not send to Slack: " + e.getClass().getSimpleName());
        }
        int code = r.getCode() == null ? 0 : r.getCode();
        if (code == 200) {
          return Optional.empty();
        }
        if (code == 429 && attempt == 1 && waitRetryAfter(header(r.getHeaders(), "retry-after"))) {
          continue;
        }
        String body = r.getBody() == null ? "" : r.getBody().strip();
        throw failure(
            (code == 429 ? "rate_limited: " : "")
                + "HTTP "
                + code
                + " from Slack"
                + (body.isEmpty() || body.length() > 80 ? "" : ": " + body));
      }
    }

    private static Optional<String> header(Map<String, List<String>> headers, String name) {
      if (headers == null) {
        return Optional.empty();
      }
      return headers.entrySet().stream()
          .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst();
    }
  }

  /** Bot token: chat.postMessage once, chat.update as it goes, thread replies. */
  static final class Token extends Sender {
    private final String channel;

    Token(Settings settings, String token, String source, String channel) {
      super(settings, token, source);
      this.channel = channel;
    }

    @Override
    String mode() {
      return "token";
    }

    @Override
    Optional<Posted> post(Message m, Optional<Posted> threadOf) throws SlackFailure {
      ChatPostMessageResponse r =
          call(
              () ->
                  slack
                      .methods(secret)
                      .chatPostMessage(
                          b -> {
                            b.channel(threadOf.map(Posted::channel).orElse(channel))
                                .text(m.text())
                                .blocks(m.blocks());
                            threadOf.ifPresent(p -> b.threadTs(p.ts()));
                            return b;
                          }));
      if (!r.isOk()) {
        throw failure("Slack refused chat.postMessage: " + r.getError());
      }
      return Optional.of(new Posted(r.getChannel() != null ? r.getChannel() : channel, r.getTs()));
    }

    @Override
    void update(Posted where, Message m) throws SlackFailure {
      ChatUpdateResponse r =
          call(
              () ->
                  slack
                      .methods(secret)
                      .chatUpdate(
                          b ->
                              b.channel(where.channel())
                                  .ts(where.ts())
                                  .text(m.text())
                                  .blocks(m.blocks())));
      if (!r.isOk()) {
        throw failure("Slack refused chat.update: " + r.getError());
      }
    }

    interface Call<T> {
      T run() throws IOException, SlackApiException;
    }

    private <T extends com.slack.api.methods.SlackApiTextResponse> T call(Call<T> call)
        throws SlackFailure {
      for (int attempt = 1; ; attempt++) {
        try {
          T r = call.run();
          if (!r.isOk() && "ratelimited".equals(r.getError()) && attempt == 1) {
            if (waitRetryAfter(Optional.empty())) {
              continue;
            }
          }
          return r;
        } catch (SlackApiException e) {
          int code = e.getResponse() == null ? 0 : e.getResponse().code();
          if (code == 429
              && attempt == 1
              && waitRetryAfter(Optional.ofNullable(e.getResponse().header("Retry-After")))) {
            continue;
          }
          throw failure((code == 429 ? "rate_limited: " : "") + "HTTP " + code + " from Slack");
        } catch (IOException e) {
          throw ioFailure(e);
        } catch (RuntimeException e) {
          throw failure("could not call Slack: " + e.getClass().getSimpleName());
        }
      }
    }
  }
}
