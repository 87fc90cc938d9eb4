package mint.example;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.time.Duration;

/**
 * GETs the http:// URL of its argument over HTTP/2 with prior knowledge and prints the protocol
 * spoken, the status, and what the module graph made of the hpack library.
 */
public final class Main {
  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    ConnectOptions options =
        ConnectOptions.builder().mode(Mode.PASSIVE).protocols(Protocol.HTTP2).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTP, url.getHost(), url.getPort(), options)) {
      System.out.println("protocol " + conn.protocol());
      conn.request("GET", url.getPath(), Headers.empty(), RequestBody.none());
      boolean done = false;
      while (!done) {
        for (ResponsePart part : conn.recv(Duration.ofSeconds(10))) {
          if (part instanceof ResponsePart.Status s) {
            System.out.println("status " + s.code());
          } else if (part instanceof ResponsePart.Done) {
            done = true;
          } else if (part instanceof ResponsePart.RequestError e) {
            throw e.error();
          }
        }
      }
    }
    ModuleDescriptor hpack =
        ModuleLayer.boot().findModule("com.twitter.hpack").orElseThrow().getDescriptor();
    System.out.println(
        "hpack module "
            + hpack.name()
            + (hpack.isAutomatic() ? ", automatic" : ", explicit")
            + (hpack.isOpen() ? ", open" : ""));
  }
}
