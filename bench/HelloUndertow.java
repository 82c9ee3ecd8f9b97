import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.util.Headers;

/**
 * The ceiling of the stack: a bare Undertow handler that reads a POST body and answers "hello",
 * compiled and run against the Undertow inside the registry jar, with the registry's listener settings
 * (IO threads, keep-alive). Usage: java -cp autoreg-registry.jar:. HelloUndertow PORT
 */
public final class HelloUndertow {
    private HelloUndertow() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Undertow server = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, true)
                .setHandler(exchange -> exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    ex.getResponseSender().send("hello");
                }))
                .build();
        server.start();
        System.out.println("hello-undertow listening on 127.0.0.1:" + port);
    }
}
