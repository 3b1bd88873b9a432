package io.pikku.bench.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Closed-loop calls: every connection keeps a number of the same call in flight, and
 * sends one more for each reply. Built to cost the client as little as possible per
 * reply:
 * <ul>
 * <li>the call is a pre-encoded, pre-masked {@link TextFrame}; the calls owed after a
 * read go out as one buffer, flushed once;</li>
 * <li>replies are not parsed: on one connection they come in the order of the calls, so
 * each is matched to the oldest call's send time;</li>
 * <li>latencies go into one histogram per event loop thread, written by that thread only,
 * without allocating;</li>
 * <li>a reply is checked by comparing its bytes (its body, for STOMP) with the first
 * reply's, which was checked in full: a sample of one in {@code checkEvery}.</li>
 * </ul>
 */
public final class RoundTrip {

	private static final long LONGEST = TimeUnit.MINUTES.toNanos(1);

	private final Protocol protocol;

	private final byte[] call;

	private final byte[] expected;

	private final int checkMask;

	private final Map<EventLoop, SingleWriterRecorder> latencies = new ConcurrentHashMap<>();

	private final AtomicLong wrongReplies = new AtomicLong();

	private volatile boolean running = true;

	/**
	 * @param protocol what the server speaks
	 * @param expected the body of a correct reply
	 * @param checkEvery check one reply in this many (a power of two; 1 checks all)
	 */
	public RoundTrip(Protocol protocol, byte[] expected, int checkEvery) {
		if (Integer.bitCount(checkEvery) != 1) {
			throw new IllegalArgumentException("checkEvery must be a power of two: " + checkEvery);
		}
		this.protocol = protocol;
		this.call = protocol.echo().wire();
		this.expected = expected.clone();
		this.checkMask = checkEvery - 1;
	}

	/**
	 * Starts the calls.
	 * @param peers the connections
	 * @param depth calls in flight per connection
	 */
	public void start(List<Peer> peers, int depth) {
		for (Peer peer : peers) {
			SingleWriterRecorder recorder = this.latencies.computeIfAbsent(peer.eventLoop(),
					(loop) -> new SingleWriterRecorder(1, LONGEST, 3));
			Connection connection = new Connection(recorder, depth);
			peer.handle(connection);
			peer.execute(() -> {
				connection.send(peer, depth);
				peer.flush();
			});
		}
	}

	/**
	 * The latencies of the replies since the last call (the first call: since the start).
	 * @return their histogram, in nanoseconds
	 */
	public Histogram interval() {
		Histogram total = new Histogram(1, LONGEST, 3);
		this.latencies.values().forEach((recorder) -> total.add(recorder.getIntervalHistogram()));
		return total;
	}

	/** Sends no more calls; those in flight are still answered. */
	public void stop() {
		this.running = false;
	}

	/**
	 * How many of the checked replies were not the expected one.
	 * @return how many
	 */
	public long wrongReplies() {
		return this.wrongReplies.get();
	}

	private boolean isExpected(ByteBuf buffer, int index, int length) {
		int start = this.protocol.bodyStart(buffer, index, length);
		if (start < 0) {
			return false;
		}
		int end = this.protocol.bodyEnd(buffer, index, length);
		if (end - start != this.expected.length) {
			return false;
		}
		for (int i = 0; i < this.expected.length; i++) {
			if (buffer.getByte(start + i) != this.expected[i]) {
				return false;
			}
		}
		return true;
	}

	/** One connection's calls: their send times, oldest first, in a ring. */
	private final class Connection implements Peer.Handler {

		private final SingleWriterRecorder recorder;

		private final long[] sentAt;

		private final int mask;

		private int oldest;

		private int next;

		private int owed;

		private int received;

		Connection(SingleWriterRecorder recorder, int depth) {
			this.recorder = recorder;
			int capacity = Integer.highestOneBit(Math.max(1, depth - 1)) << 1;
			this.sentAt = new long[capacity];
			this.mask = capacity - 1;
		}

		@Override
		public void onMessage(Peer peer, ByteBuf buffer, int index, int length, long receivedAt) {
			if (this.oldest == this.next) {
				RoundTrip.this.wrongReplies.incrementAndGet();
				return;
			}
			long latency = receivedAt - this.sentAt[this.oldest++ & this.mask];
			this.recorder.recordValue(Math.max(0, Math.min(latency, LONGEST)));
			if ((++this.received & RoundTrip.this.checkMask) == 0 && !isExpected(buffer, index, length)) {
				RoundTrip.this.wrongReplies.incrementAndGet();
			}
			this.owed++;
		}

		@Override
		public void onReadComplete(Peer peer) {
			int owed = this.owed;
			this.owed = 0;
			if (owed > 0 && RoundTrip.this.running) {
				send(peer, owed);
			}
		}

		/** Writes calls as one buffer; flushed when the read is done. */
		void send(Peer peer, int count) {
			byte[] call = RoundTrip.this.call;
			ByteBuf calls = peer.alloc().directBuffer(count * call.length);
			for (int i = 0; i < count; i++) {
				calls.writeBytes(call);
			}
			long now = System.nanoTime();
			for (int i = 0; i < count; i++) {
				this.sentAt[this.next++ & this.mask] = now;
			}
			peer.write(calls);
		}

	}

}
