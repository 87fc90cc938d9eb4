/**
 * Mint for Java: a connection pool and a thread-safe client. {@link dev.mint.pool.Pool} keeps
 * connections per {@link dev.mint.pool.Origin} and is driven by one caller thread with one {@link
 * java.nio.channels.Selector}, starting no thread; {@link dev.mint.pool.MintClient} runs a pool on
 * threads from a caller-supplied {@link java.util.concurrent.ThreadFactory} and may be called from
 * any thread. This is the module where concurrency lives. It uses only the public API ({@code
 * dev.mint}).
 */
module dev.mint.pool {
  requires transitive dev.mint.api;
  requires org.slf4j;

  exports dev.mint.pool;
}
