/**
 * A scripted local HTTP server for tests of code that uses Mint: {@link
 * dev.mint.testing.MockServer} records every request ({@link dev.mint.testing.RecordedRequest}) and
 * answers with the {@link dev.mint.testing.MockResponse}s a test queued or a {@link
 * dev.mint.testing.Dispatcher} picks, broken ones ({@link dev.mint.testing.Fault}) included.
 */
package dev.mint.testing;
