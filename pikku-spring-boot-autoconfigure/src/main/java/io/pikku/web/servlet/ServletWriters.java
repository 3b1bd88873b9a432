package io.pikku.web.servlet;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The threads that write a servlet transport's queued messages, with the container's
 * blocking API, a connection after another.
 *
 * <p>
 * Why not the asynchronous API: Tomcat completes every asynchronous write by handing its
 * handler to a container thread (the WebSocket specification's guard against recursion),
 * one executor task and most often one thread wake-up per message, so a broadcast to a
 * thousand connections paid a thousand. Here a connection with messages queued is handed
 * to a writer once; a writer wakes once for as many connections as are ready, and a
 * blocking write into a socket whose buffer has room returns at once.
 *
 * <p>
 * A client that stops reading fills its socket's buffers, and the next blocking write to
 * it waits. A writer in one write for longer than {@link #STALL} is given up on: its
 * connection is written with the asynchronous API from then on (until its queue has
 * drained), and a new writer takes the stalled one's place, so the other connections wait
 * at most about {@link #STALL} and a watch interval for each such client. Up to
 * {@link #MAX_STALLED} writers may be stalled at once; past that, while no writer is
 * free, every connection is written with the asynchronous API. A stalled write ends
 * within the send time limit, and its writer then serves again or ends.
 */
final class ServletWriters {

	private static final Log logger = LogFactory.getLog(ServletWriters.class);

	/** How long one write may take before its writer is replaced. */
	static final long STALL = TimeUnit.MILLISECONDS.toNanos(20);

	/** How often the watcher looks for stalled writers. */
	private static final long WATCH = TimeUnit.MILLISECONDS.toNanos(10);

	/** How many stalled writers may be waiting for their write at once. */
	static final int MAX_STALLED = 64;

	/**
	 * How many messages a writer writes to one connection before it lets the connections
	 * queued after it go first.
	 */
	static final int BATCH = 16;

	private final int size;

	private final Queue<ServletConnection> ready = new ConcurrentLinkedQueue<>();

	private final Queue<Writer> idle = new ConcurrentLinkedQueue<>();

	private final List<Writer> writers = new CopyOnWriteArrayList<>();

	/** Writers that are not stalled. */
	private final AtomicInteger serving = new AtomicInteger();

	private final AtomicInteger stalled = new AtomicInteger();

	private final AtomicInteger names = new AtomicInteger();

	private final AtomicBoolean started = new AtomicBoolean();

	private volatile boolean stopped;

	private @Nullable Thread watcher;

	/**
	 * Writers for one transport.
	 * @param size how many writers serve when none is stalled
	 */
	ServletWriters(int size) {
		this.size = size;
	}

	/**
	 * Whether a writer is free to take connections: {@code false} while every writer is
	 * stalled and no more may be started, or once stopped.
	 */
	boolean serving() {
		return !this.stopped && (this.serving.get() > 0 || !this.started.get());
	}

	/**
	 * Hands a connection with messages queued to a writer; the caller has made it this
	 * connection's only writer.
	 * @param connection the connection
	 */
	void submit(ServletConnection connection) {
		if (!this.started.get()) {
			start();
		}
		this.ready.add(connection);
		serveReady();
	}

	/**
	 * Gets the ready connections served: by an idle writer, or once stopped with the
	 * asynchronous API.
	 */
	private void serveReady() {
		if (this.stopped) {
			handOverReady();
		}
		else {
			wakeOne();
		}
	}

	/** Wakes an idle writer, if there is one. */
	private void wakeOne() {
		Writer writer;
		while ((writer = this.idle.poll()) != null) {
			writer.waiting.set(false);
			if (!writer.ending) {
				LockSupport.unpark(writer);
				return;
			}
		}
	}

	private synchronized void start() {
		if (this.started.get() || this.stopped) {
			return;
		}
		for (int i = 0; i < this.size; i++) {
			startWriter();
		}
		Thread watcher = new Thread(this::watch, "pikku-writer-watch");
		watcher.setDaemon(true);
		this.watcher = watcher;
		watcher.start();
		this.started.set(true);
	}

	private void startWriter() {
		Writer writer = new Writer("pikku-writer-" + this.names.incrementAndGet());
		this.serving.incrementAndGet();
		this.writers.add(writer);
		writer.start();
	}

	/** Ends the writers once they have finished the write in progress. */
	synchronized void stop() {
		this.stopped = true;
		for (Writer writer : this.writers) {
			LockSupport.unpark(writer);
		}
		Thread watcher = this.watcher;
		if (watcher != null) {
			watcher.interrupt();
		}
		handOverReady();
	}

	private void watch() {
		while (!this.stopped) {
			LockSupport.parkNanos(this, WATCH);
			try {
				long now = System.nanoTime();
				for (Writer writer : this.writers) {
					long since = writer.writingSince;
					if (since != 0 && now - since > STALL && !writer.stalled) {
						ServletConnection connection = writer.current;
						if (writer.writingSince == since) {
							// still the same write, on this connection
							stalled(writer, connection);
						}
					}
				}
				if (!serving()) {
					handOverReady();
				}
			}
			catch (Throwable ex) {
				logger.error("Watching the writers failed", ex);
			}
		}
	}

	/**
	 * Gives up on a writer that has waited too long for one write: its connection goes on
	 * with the asynchronous API, and another writer takes its place if fewer than
	 * {@link #MAX_STALLED} are stalled.
	 */
	private void stalled(Writer writer, @Nullable ServletConnection connection) {
		writer.stalled = true;
		if (connection != null) {
			connection.writeAsynchronously();
		}
		this.serving.decrementAndGet();
		if (this.stalled.incrementAndGet() <= MAX_STALLED) {
			startWriter();
		}
		else if (logger.isWarnEnabled() && !serving()) {
			logger.warn(MAX_STALLED + " writers are waiting for clients that do not read: writing every "
					+ "connection with the asynchronous API until one is free");
		}
	}

	/**
	 * With no writer free, the connections waiting for one go on with the asynchronous
	 * API.
	 */
	private void handOverReady() {
		ServletConnection connection;
		while ((connection = this.ready.poll()) != null) {
			connection.handOver();
		}
	}

	/**
	 * One writer thread: takes a ready connection, writes up to {@link #BATCH} of its
	 * messages, and parks when none is ready.
	 */
	final class Writer extends Thread {

		/** When the write in progress started, or 0. */
		volatile long writingSince;

		/** The connection being written. */
		volatile @Nullable ServletConnection current;

		/** Set by the watcher: this writer's write took too long and it was replaced. */
		volatile boolean stalled;

		/** Set once this writer has stopped taking connections. */
		volatile boolean ending;

		/** Whether this writer is in the idle queue. */
		final AtomicBoolean waiting = new AtomicBoolean();

		Writer(String name) {
			super(name);
			setDaemon(true);
		}

		@Override
		public void run() {
			ServletWriters writers = ServletWriters.this;
			try {
				while (!writers.stopped) {
					ServletConnection connection = writers.ready.poll();
					if (connection != null) {
						if (!writers.ready.isEmpty()) {
							// This writer may have been woken while listed idle: let
							// another take the rest.
							writers.wakeOne();
						}
						this.current = connection;
						try {
							connection.writeQueued();
						}
						catch (RuntimeException ex) {
							logger.debug("Writing a connection's queue failed", ex);
							connection.handOver();
						}
						finally {
							this.current = null;
						}
						if (this.stalled && !serveAgain()) {
							return;
						}
						continue;
					}
					if (this.waiting.compareAndSet(false, true)) {
						writers.idle.add(this);
					}
					if (writers.ready.isEmpty() && !writers.stopped) {
						LockSupport.park(writers);
					}
				}
			}
			finally {
				// A connection submitted while this writer was leaving may have woken it
				// rather than another.
				this.ending = true;
				writers.writers.remove(this);
				writers.idle.remove(this);
				writers.serveReady();
			}
		}

		/**
		 * After a stalled write has ended: serves again if fewer writers serve than the
		 * pool's size.
		 * @return {@code false} if this writer ends
		 */
		private boolean serveAgain() {
			ServletWriters writers = ServletWriters.this;
			writers.stalled.decrementAndGet();
			for (;;) {
				int serving = writers.serving.get();
				if (serving >= writers.size) {
					return false;
				}
				if (writers.serving.compareAndSet(serving, serving + 1)) {
					this.stalled = false;
					return true;
				}
			}
		}

		/** Marks the start of a blocking write. */
		void writing() {
			this.writingSince = System.nanoTime();
		}

		/** Marks the end of a blocking write. */
		void wrote() {
			this.writingSince = 0;
		}

	}

}
