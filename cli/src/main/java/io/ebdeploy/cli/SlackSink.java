package io.ebdeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A local stand-in for a Slack incoming webhook, for the demo: accepts POSTs on loopback, answers
 * {@code ok} as Slack does, and keeps each message's plain-text fallback.
 */
final class SlackSink implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final List<String> texts = new ArrayList<>();

  SlackSink() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/services/demo",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String text;
            try {
              JsonNode node = JSON.readTree(body);
              text = node.path("text").asText(body);
            } catch (IOException e) {
              text = body;
            }
            synchronized (texts) {
              texts.add(text);
            }
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  /** The webhook URL to configure. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/demo";
  }

  /** The fallback text of each message received, in order. */
  List<String> texts() {
    synchronized (texts) {
      return List.copyOf(texts);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
