/**
 * The example protocol of the README's "Writing a protocol": {@code x-echo/1}, a line echo, as a
 * plug-in of its own. Declared both ways, so that it is found on the module path (this {@code
 * provides}) and on the class path ({@code META-INF/services/dev.mint.spi.ProtocolProvider}).
 */
module com.example.echo {
  requires dev.mint.spi;

  provides dev.mint.spi.ProtocolProvider with
      com.example.echo.EchoProtocolProvider;
}
