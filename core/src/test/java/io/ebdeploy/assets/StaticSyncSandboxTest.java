package io.ebdeploy.assets;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.sandbox.LocalBeanstalk;
import io.ebdeploy.sandbox.SandboxCall;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link StaticSyncContract} against the sandbox's S3, plus what only its call log can show. */
class StaticSyncSandboxTest extends StaticSyncContract {
  static LocalBeanstalk sandbox;

  @BeforeAll
  static void start() {
    sandbox = LocalBeanstalk.builder().timeScale(0.001).start();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Override
  URI endpoint() {
    return sandbox.endpoint();
  }

  @Test
  void sync_again_theServerSeesNoPut() throws IOException {
    for (int i = 0; i < 20; i++) {
      write("f" + i + ".js", "f" + i);
    }
    sync().build().sync(false);
    sandbox.clearCalls();

    sync().build().sync(false);

    assertThat(sandbox.calls()).extracting(SandboxCall::action).doesNotContain("PutObject");
    assertThat(sandbox.calls()).noneMatch(SandboxCall::mutating);
  }
}
