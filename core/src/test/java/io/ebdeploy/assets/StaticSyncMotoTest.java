package io.ebdeploy.assets;

import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link StaticSyncContract} against moto_server, an independent S3 implementation: skipped with
 * the reason when moto_server is not on PATH, unless {@code -Debdeploy.requireTools=true}.
 */
class StaticSyncMotoTest extends StaticSyncContract {
  static Tools.Moto moto;

  @BeforeAll
  static void start() {
    moto = Tools.Moto.start();
  }

  @AfterAll
  static void stop() {
    if (moto != null) {
      moto.close();
    }
  }

  @Override
  URI endpoint() {
    return moto.endpoint;
  }
}
