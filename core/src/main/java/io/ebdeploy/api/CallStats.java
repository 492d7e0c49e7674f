package io.ebdeploy.api;

/**
 * The AWS calls a run made, counted by an SDK interceptor on every client.
 *
 * @param calls API calls (an SDK call with its retries counts once)
 * @param attempts HTTP requests sent, retries included (throttled or failed attempts the SDK
 *     retried)
 * @param failed calls that failed after the SDK's retries
 */
public record CallStats(long calls, long attempts, long failed) {
  public static final CallStats NONE = new CallStats(0, 0, 0);

  /** Attempts beyond the first of each call. */
  public long retries() {
    return attempts - calls;
  }
}
