package io.ebdeploy.deploy;

import io.ebdeploy.api.EbDeployException;

/** Where a cancellation stops a run before its first update: it changed nothing. */
final class Interrupts {
  private Interrupts() {}

  /** Thrown before the first update when the run was cancelled. */
  static final class Cancelled extends EbDeployException {
    Cancelled(String message) {
      super(Kind.INTERRUPTED, message);
    }
  }

  /**
   * Throws {@link Cancelled} when the run was cancelled (or its thread interrupted, which counts as
   * a cancellation).
   */
  static void check(DeployContext ctx, String consequence) {
    var control = ctx.request().control();
    if (Thread.interrupted()) {
      control.cancel("the deploy's thread was interrupted");
    }
    if (control.isCancelled()) {
      String reason = control.reason().orElse("cancelled");
      ctx.events().announceCancel(reason);
      throw new Cancelled("interrupted (" + reason + "): " + consequence);
    }
  }
}
