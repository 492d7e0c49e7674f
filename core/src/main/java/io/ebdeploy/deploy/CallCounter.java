package io.ebdeploy.deploy;

import io.ebdeploy.api.CallStats;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts the AWS calls of a run on every client: each call once ({@code beforeExecution}), each
 * HTTP attempt ({@code beforeTransmission}, retries included), and calls that failed after the
 * retries. Thread-safe.
 */
final class CallCounter implements ExecutionInterceptor {
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong attempts = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    calls.incrementAndGet();
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    attempts.incrementAndGet();
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    failed.incrementAndGet();
  }

  CallStats stats() {
    return new CallStats(calls.get(), attempts.get(), failed.get());
  }
}
