package io.ebdeploy.aws;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * INTERNAL: how long every AWS call of a run keeps trying while AWS throttles it. Throttling ("Rate
 * exceeded", {@code SlowDown}, HTTP 429) is the account's and region's request rate, shared with
 * every other caller: it passes, so a throttled call waits and tries again, up to {@link
 * #attempts()} attempts, each wait doubled from {@code base} up to {@code cap} with jitter (so that
 * parallel callers spread out). The budget is the same for every call, whoever makes it (discovery,
 * upload, version, lock, history, static files, polling): it is set on the SDK clients, not around
 * some calls.
 *
 * <p>Every other failure is left to the strategy it wraps (the caller's, or the SDK's standard
 * one): 5xx and network errors keep the SDK's own attempts and backoff, and the SDK's retry quota
 * (which throttling would drain in a minute) is not charged for throttling. A call still throttled
 * after its budget fails with the service's throttling error; {@link Throttling#message} says what
 * to do about it.
 */
public final class ThrottleBudget implements RetryStrategy {
  /**
   * Attempts of one call while it is throttled: about 20 to 45 s of waiting at Beanstalk's pace
   * (0.5 s doubled up to 15 s). Under a throttling share of one half a call is refused twice in a
   * row at most now and then; under nine tenths, runs of nine refusals are the rule and the budget
   * gives up, as it should when the limit is too low for the work asked of it.
   */
  public static final int ATTEMPTS = 8;

  /**
   * Attempts of one throttled call once the group must be protected ({@link #protectGroup()}):
   * twice the budget, about 1.5 to 3 minutes of waiting at Beanstalk's pace, so that a rollback's
   * polling (two calls a tick) still gets through when nine calls in ten are refused.
   */
  public static final int PROTECTING_ATTEMPTS = 2 * ATTEMPTS;

  private final RetryStrategy delegate;
  private final Duration base;
  private final Duration cap;
  private volatile boolean protecting;

  private ThrottleBudget(RetryStrategy delegate, Duration base, Duration cap) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.base = base;
    this.cap = cap;
  }

  /**
   * Throttled calls wait {@code base}, doubled at each attempt up to {@code cap}; everything else
   * is {@code delegate}'s. A run's pace gives the two: a quarter of its first polling interval and
   * its longest.
   */
  public static ThrottleBudget wrapping(RetryStrategy delegate, Duration base, Duration cap) {
    return new ThrottleBudget(delegate, base, cap.compareTo(base) < 0 ? base : cap);
  }

  /** Attempts of one throttled call before it fails. */
  public int attempts() {
    return protecting ? PROTECTING_ATTEMPTS : ATTEMPTS;
  }

  /**
   * From now on, every call keeps trying for {@link #PROTECTING_ATTEMPTS}: the calls that return
   * the group to one release (a rollback, a recovery) and record how the run ended (record,
   * history, lock). Giving up on them would leave the group split, or the lock held.
   */
  public void protectGroup() {
    protecting = true;
  }

  /** True for the throttling errors of every service (Throttling, ThrottledException, SlowDown). */
  public static boolean throttling(Throwable t) {
    return t instanceof AwsServiceException a && a.isThrottlingException();
  }

  /** The wrapped token and how many attempts in a row were throttled. */
  private record Token(RetryToken inner, int throttled) implements RetryToken {}

  @Override
  public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
    AcquireInitialTokenResponse r = delegate.acquireInitialToken(request);
    return AcquireInitialTokenResponse.create(new Token(r.token(), 0), r.delay());
  }

  @Override
  public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
    Token t = (Token) request.token();
    if (throttling(request.failure())) {
      int throttled = t.throttled() + 1;
      if (throttled >= attempts()) {
        throw new TokenAcquisitionFailedException(
            "throttled on " + throttled + " attempts in a row", t, request.failure());
      }
      return RefreshRetryTokenResponse.create(new Token(t.inner(), throttled), delay(throttled));
    }
    try {
      RefreshRetryTokenResponse r =
          delegate.refreshRetryToken(request.toBuilder().token(t.inner()).build());
      return RefreshRetryTokenResponse.create(new Token(r.token(), 0), r.delay());
    } catch (TokenAcquisitionFailedException e) {
      throw new TokenAcquisitionFailedException(e.getMessage(), t, e.getCause());
    }
  }

  @Override
  public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
    Token t = (Token) request.token();
    RecordSuccessResponse r = delegate.recordSuccess(RecordSuccessRequest.create(t.inner()));
    return RecordSuccessResponse.create(new Token(r.token(), 0));
  }

  /** The wait before attempt {@code throttled + 1}: between half and all of base * 2^(n-1). */
  Duration delay(int throttled) {
    long full = base.toNanos() << Math.min(throttled - 1, 20);
    full = Math.min(full < 0 ? Long.MAX_VALUE : full, cap.toNanos());
    return Duration.ofNanos(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
  }

  @Override
  public int maxAttempts() {
    return Math.max(PROTECTING_ATTEMPTS, delegate.maxAttempts());
  }

  /** As it is: the SDK adds its defaults only to its own strategies, never to this one. */
  @Override
  public boolean useClientDefaults() {
    return false;
  }

  /** Not rebuilt: configure the wrapped strategy instead. */
  @Override
  public Builder<?, ?> toBuilder() {
    throw new UnsupportedOperationException(
        "ThrottleBudget wraps another retry strategy: configure that one and wrap it again");
  }
}
