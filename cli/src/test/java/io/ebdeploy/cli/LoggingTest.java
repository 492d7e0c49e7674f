package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LoggingTest {
  @Test
  void verbosityOf_flags_countsEveryV() {
    assertThat(Logging.verbosityOf(new String[] {"sandbox"})).isZero();
    assertThat(Logging.verbosityOf(new String[] {"-v", "sandbox"})).isEqualTo(1);
    assertThat(Logging.verbosityOf(new String[] {"sandbox", "-vv"})).isEqualTo(2);
    assertThat(Logging.verbosityOf(new String[] {"--verbose", "x", "-v"})).isEqualTo(2);
  }

  @Test
  void verbosityOf_afterDoubleDash_ignored() {
    assertThat(Logging.verbosityOf(new String[] {"x", "--", "-v"})).isZero();
  }

  @Test
  void routeJavaUtilLogging_defaultLevel_dropsFineAndForwardsWarningsToSlf4j() {
    PrintStream saved = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      Logging.routeJavaUtilLogging(Level.WARNING);
      Logger sandbox = Logger.getLogger("io.ebdeploy.sandbox.SandboxServer");
      sandbox.fine("exchange failed");
      sandbox.info("listening");
      sandbox.warning("sandbox error in s3 PutObject");
      Logger.getLogger("com.sun.net.httpserver").info("jdk chatter");
    } finally {
      System.setErr(saved);
    }

    String err = captured.toString(StandardCharsets.UTF_8);
    assertThat(err).contains("WARN SandboxServer - sandbox error in s3 PutObject");
    assertThat(err).doesNotContain("exchange failed", "listening", "jdk chatter");
  }
}
