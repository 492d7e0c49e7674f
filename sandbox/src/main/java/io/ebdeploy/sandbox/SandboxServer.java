package io.ebdeploy.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ebdeploy.sandbox.service.ApiException;
import io.ebdeploy.sandbox.service.Faults;
import io.ebdeploy.sandbox.service.Json;
import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.SandboxResponse;
import io.ebdeploy.sandbox.service.ServiceApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The loopback HTTP server: routes each request by its SigV4 service name to one emulated API. */
final class SandboxServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SandboxServer.class.getName());

  static {
    // The JDK HTTP server writes a response's headers and body in two writes; without TCP_NODELAY
    // each response with a body waits out the client's delayed ACK (~40 ms), and `aws s3 sync`
    // downloads crawl. The server reads this property once, when its first instance is made.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, ServiceApi> apis;
  private final ControlApi control;
  private final Faults faults;
  private final CallLog calls;

  SandboxServer(int port, List<ServiceApi> apis, ControlApi control, Faults faults, CallLog calls)
      throws IOException {
    this.apis =
        apis.stream().collect(java.util.stream.Collectors.toMap(ServiceApi::service, a -> a));
    this.control = control;
    this.faults = faults;
    this.calls = calls;
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    // Clients (aws s3 sync, our own uploader) run many requests at once on kept-alive connections.
    this.executor = Executors.newCachedThreadPool(daemonThreads());
    server.setExecutor(executor);
    server.createContext("/", this::exchange);
  }

  void start() {
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void exchange(HttpExchange ex) throws IOException {
    try (ex) {
      SandboxRequest request;
      try (InputStream in = ex.getRequestBody()) {
        request =
            new SandboxRequest(
                ex.getRequestMethod(),
                ex.getRequestURI().getRawPath(),
                ex.getRequestURI().getRawQuery(),
                ex.getRequestHeaders(),
                in.readAllBytes());
      }
      SandboxResponse response = dispatch(request);
      write(ex, request, response);
    } catch (IOException | RuntimeException e) {
      // A client that hung up mid-request; nothing left to answer.
      LOG.log(Level.FINE, "exchange failed", e);
    }
  }

  SandboxResponse dispatch(SandboxRequest request) {
    if (request.rawPath().startsWith(ControlApi.PREFIX)) {
      return control.handle(request);
    }
    String requestId = UUID.randomUUID().toString();
    ServiceApi api = apis.get(request.service());
    if (api == null) {
      return SandboxResponse.json(
              400,
              "application/json",
              Json.write(
                  Map.of(
                      "error",
                      "the sandbox does not emulate the service '"
                          + request.service()
                          + "': it serves elasticbeanstalk, tagging and s3")))
          .header("x-amzn-RequestId", requestId);
    }
    String action = "Unknown";
    Map<String, Object> params = Map.of();
    SandboxResponse response;
    try {
      action = api.action(request);
      params = api.params(request);
      ApiException injected = faults.callFault(api.service(), action);
      if (injected != null) {
        throw injected;
      }
      response = api.handle(request, action);
    } catch (ApiException e) {
      response = api.error(request, e, requestId);
    } catch (RuntimeException e) {
      // A sandbox bug must still look like the service's own internal error, never a stack trace.
      LOG.log(Level.WARNING, "sandbox error in " + api.service() + " " + action, e);
      response =
          api.error(
              request,
              new ApiException(500, "InternalFailure", "The sandbox failed to handle " + action),
              requestId);
    }
    calls.add(new SandboxCall(Instant.now(), api.service(), action, params, response.status()));
    response.headers().putIfAbsent("x-amzn-RequestId", requestId);
    if (api.service().equals("s3")) {
      response.headers().putIfAbsent("x-amz-request-id", requestId);
    }
    return response;
  }

  private static void write(HttpExchange ex, SandboxRequest request, SandboxResponse response)
      throws IOException {
    response.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    byte[] body = response.body();
    boolean noBody =
        request.method().equals("HEAD") || response.status() == 204 || response.status() == 304;
    if (noBody) {
      // HEAD answers carry the Content-Length a GET would have (set by the API), and no body.
      ex.sendResponseHeaders(response.status(), -1);
      return;
    }
    ex.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    return r -> {
      Thread t = new Thread(r, "sandbox-http");
      t.setDaemon(true);
      return t;
    };
  }
}
