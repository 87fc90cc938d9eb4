// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2 under load on one NIO event loop: HTTP/1.1 through {@link HttpClientCodec} on the
 * workload's connections, one request at a time on each; HTTP/2 through {@link
 * Http2FrameCodecBuilder} and {@link Http2MultiplexHandler}, one child channel per stream on the
 * one connection. TLS through the JDK's {@code SSLEngine} (no native library), with ALPN offering
 * only the workload's protocol. Bodies are counted as they arrive (Netty's pooled buffers are
 * released by the handlers), never kept. Its HTTP/2 receive windows are set to Mint's defaults (4
 * MiB per stream, 16 MiB for the connection) so that downloads compare engines, not windows.
 */
final class NettyLoadClient implements LoadClient {
  /** The stream receive window, Mint's default (Netty's is 64 KiB). */
  private static final int STREAM_WINDOW = 4 << 20;

  /** The connection receive window, Mint's default. */
  private static final int CONNECTION_WINDOW = 16 << 20;

  private final Target target;
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final List<Channel> channels = new ArrayList<>();
  private final SslContext tls;

  NettyLoadClient(Target target) throws Exception {
    this.target = target;
    Workload.Wire wire = target.workload().wire();
    if (wire.tls()) {
      String alpn =
          wire.http2() ? ApplicationProtocolNames.HTTP_2 : ApplicationProtocolNames.HTTP_1_1;
      tls =
          SslContextBuilder.forClient()
              .sslProvider(SslProvider.JDK)
              .trustManager(Trust.of(target.caPem()).certificate())
              .applicationProtocolConfig(
                  new ApplicationProtocolConfig(
                      ApplicationProtocolConfig.Protocol.ALPN,
                      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                      alpn))
              .build();
    } else {
      tls = null;
    }
  }

  private void open() throws InterruptedException {
    boolean http2 = target.workload().wire().http2();
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (tls != null) {
                      ch.pipeline()
                          .addLast(tls.newHandler(ch.alloc(), target.host(), target.port()));
                    }
                    if (http2) {
                      ch.pipeline()
                          .addLast(
                              Http2FrameCodecBuilder.forClient()
                                  .initialSettings(
                                      Http2Settings.defaultSettings()
                                          .initialWindowSize(STREAM_WINDOW))
                                  .build())
                          .addLast(new Http2MultiplexHandler(new NoPush()));
                    } else {
                      ch.pipeline().addLast(new HttpClientCodec()).addLast(new Http1Exchange());
                    }
                  }
                });
    for (int i = 0; i < target.workload().connections(); i++) {
      Channel channel = bootstrap.connect(target.host(), target.port()).sync().channel();
      if (http2) {
        // A WINDOW_UPDATE on stream 0 written to the codec grows the connection's receive window.
        channel.writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - 65_535));
      }
      channels.add(channel);
    }
  }

  @Override
  public void run(long deadlineNanos, Recorder recorder) throws InterruptedException {
    if (channels.isEmpty()) {
      open();
    }
    boolean http2 = target.workload().wire().http2();
    InFlightLoop.run(
        (slot, done) -> {
          Channel channel = channels.get(slot % channels.size());
          if (http2) {
            openStream(channel, done);
          } else {
            channel.pipeline().get(Http1Exchange.class).send(channel, done);
          }
        },
        target.workload().inFlight(),
        deadlineNanos,
        recorder);
  }

  private void openStream(Channel parent, InFlightLoop.Completion done) {
    new Http2StreamChannelBootstrap(parent)
        .handler(new Http2Exchange(done))
        .open()
        .addListener(
            (Future<Http2StreamChannel> f) -> {
              if (!f.isSuccess()) {
                done.failed(f.cause());
                return;
              }
              Http2Headers headers =
                  new DefaultHttp2Headers()
                      .method("GET")
                      .scheme(target.workload().wire().scheme())
                      .authority(target.host() + ":" + target.port())
                      .path(target.workload().path());
              f.getNow().writeAndFlush(new DefaultHttp2HeadersFrame(headers, true));
            });
  }

  /**
   * Closes any stream the server opens (pushes are not enabled, so none come). A channel
   * initializer is sharable, which the multiplexer requires.
   */
  private static final class NoPush extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel ch) {
      ch.close();
    }
  }

  /** One HTTP/1.1 connection's exchange: one request at a time. Runs on the event loop. */
  private final class Http1Exchange extends SimpleChannelInboundHandler<HttpObject> {
    private InFlightLoop.Completion current;
    private int status;
    private long bytes;

    void send(Channel channel, InFlightLoop.Completion done) {
      if (!channel.eventLoop().inEventLoop()) {
        channel.eventLoop().execute(() -> send(channel, done));
        return;
      }
      current = done;
      status = 0;
      bytes = 0;
      DefaultFullHttpRequest request =
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1,
              HttpMethod.GET,
              target.workload().path(),
              Unpooled.EMPTY_BUFFER);
      request.headers().set(HttpHeaderNames.HOST, target.host() + ":" + target.port());
      channel.writeAndFlush(request);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof HttpResponse response) {
        status = response.status().code();
      }
      if (msg instanceof HttpContent content) {
        bytes += content.content().readableBytes();
      }
      if (msg instanceof LastHttpContent && current != null) {
        InFlightLoop.Completion done = current;
        current = null;
        done.complete(status, bytes);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(cause);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      fail(new java.io.IOException("connection closed by the server"));
    }

    private void fail(Throwable cause) {
      if (current != null) {
        InFlightLoop.Completion done = current;
        current = null;
        done.failed(cause);
      }
    }
  }

  /** One HTTP/2 stream's exchange, on its child channel. */
  private static final class Http2Exchange extends SimpleChannelInboundHandler<Http2StreamFrame> {
    private InFlightLoop.Completion done;
    private int status;
    private long bytes;

    Http2Exchange(InFlightLoop.Completion done) {
      this.done = done;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
      boolean end = false;
      if (frame instanceof Http2HeadersFrame headers) {
        CharSequence code = headers.headers().status();
        if (code != null) {
          status = Integer.parseInt(code.toString());
        }
        end = headers.isEndStream();
      } else if (frame instanceof Http2DataFrame data) {
        bytes += data.content().readableBytes();
        end = data.isEndStream();
      }
      if (end && done != null) {
        InFlightLoop.Completion d = done;
        done = null;
        ctx.close();
        d.complete(status, bytes);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (done != null) {
        InFlightLoop.Completion d = done;
        done = null;
        d.failed(cause);
      }
      ctx.close();
    }
  }

  @Override
  public void stop() throws InterruptedException {
    for (Channel channel : channels) {
      channel.close().await(5, TimeUnit.SECONDS);
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }
}
