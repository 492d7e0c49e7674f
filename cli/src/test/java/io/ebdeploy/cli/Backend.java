package io.ebdeploy.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny application behind nginx: answers 200 {@code backend PATH} (text/html, padded to 4 KB so
 * that gzip applies), and records the paths it was asked for.
 */
final class Backend implements AutoCloseable {
  final HttpServer server;
  final List<String> paths = new CopyOnWriteArrayList<>();

  Backend() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          paths.add(path);
          byte[] body =
              ("backend " + path + "\n" + "<p>padding</p>\n".repeat(256))
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
