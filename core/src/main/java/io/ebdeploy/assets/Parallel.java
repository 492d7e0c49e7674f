package io.ebdeploy.assets;

import io.ebdeploy.api.EbDeployException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** The worker pool of one sync, and waiting on its tasks. */
final class Parallel {
  private Parallel() {}

  /** Daemon threads, so that a pool left behind never keeps a JVM alive. */
  static ExecutorService pool(int threads) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, "eb-deploy-assets-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * The task's value; its unchecked exception is rethrown as it is, and an interrupt of the waiting
   * thread becomes INTERRUPTED.
   */
  static <T> T get(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EbDeployException(
          EbDeployException.Kind.INTERRUPTED, "static files sync interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }
}
