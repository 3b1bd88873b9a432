package io.pikku.web.servlet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.security.HandshakeSessionResolver;
import io.pikku.web.ChannelTransport;
import io.pikku.web.ChannelUpgrade;
import io.pikku.web.TransportSettings;

import org.springframework.util.Assert;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Serves the channels of a {@link ChannelRuntime} on Spring WebSocket (servlet stack).
 *
 * <p>
 * Threading: the container's thread that reads a connection runs its functions, one
 * message at a time, so a function may block (JDBC, HTTP calls) and each connection's
 * messages are handled in order. Sends never block the caller: each connection queues
 * them, one of the transport's writer threads writes them (see {@link ServletWriters}: a
 * connection whose client reads too slowly is written with the container's asynchronous
 * API instead), and a connection whose queue passes the send buffer limit or whose write
 * takes longer than the send time limit is closed. A reply sent on the thread that read
 * its call is written there at once when nothing else is queued.
 *
 * <p>
 * Connection limit, heartbeats and graceful shutdown: see {@link ChannelTransport}.
 */
public final class ServletChannelTransport extends ChannelTransport<ServletConnection> {

	/**
	 * How many container threads a transport lets write a reply in place by default: a
	 * quarter of Tomcat's and Jetty's default maximum of request threads.
	 */
	public static final int DEFAULT_IN_PLACE_WRITERS = 50;

	/**
	 * How many container threads may be writing a reply with the blocking API at once: a
	 * client that does not read can hold one of them up to the send time limit, so
	 * clients that do not read never hold every container thread; past this, replies are
	 * queued like any send and written by another thread.
	 */
	private final Semaphore inPlaceWriters;

	private final ServletWriters writers = new ServletWriters(Math.max(2, Runtime.getRuntime().availableProcessors()));

	/**
	 * A transport for the given runtime that lets {@link #DEFAULT_IN_PLACE_WRITERS}
	 * container threads write replies in place.
	 * @param runtime the channels to serve
	 * @param settings the transport's settings
	 * @param sessionResolver makes the session of an authenticated upgrade request
	 */
	public ServletChannelTransport(ChannelRuntime runtime, TransportSettings settings,
			HandshakeSessionResolver sessionResolver) {
		this(runtime, settings, sessionResolver, DEFAULT_IN_PLACE_WRITERS);
	}

	/**
	 * A transport for the given runtime.
	 * @param runtime the channels to serve
	 * @param settings the transport's settings
	 * @param sessionResolver makes the session of an authenticated upgrade request
	 * @param inPlaceWriters how many container threads may write a reply on the thread
	 * that read its call at once, blocking up to the send time limit; fewer than the
	 * container's request threads, so that clients that do not read never hold them all
	 */
	public ServletChannelTransport(ChannelRuntime runtime, TransportSettings settings,
			HandshakeSessionResolver sessionResolver, int inPlaceWriters) {
		super(runtime, settings, sessionResolver);
		Assert.isTrue(inPlaceWriters > 0, "inPlaceWriters must be positive");
		this.inPlaceWriters = new Semaphore(inPlaceWriters);
	}

	/**
	 * A handler mapping with one WebSocket handler per channel route. Upgrade requests to
	 * other paths fall through to the next mapping (and a 404).
	 * @return the handler mapping
	 */
	public HandlerMapping handlerMapping() {
		Map<String, Object> urlMap = new LinkedHashMap<>();
		DefaultHandshakeHandler handshakeHandler = new DefaultHandshakeHandler();
		for (ChannelDefinition<?> definition : runtime().definitions()) {
			ChannelWebSocketHandler handler = new ChannelWebSocketHandler(runtime(), definition.name(), this);
			WebSocketHttpRequestHandler requestHandler = new WebSocketHttpRequestHandler(handler, handshakeHandler);
			List<HandshakeInterceptor> interceptors = new ArrayList<>();
			OriginHandshakeInterceptor origins = new OriginHandshakeInterceptor();
			origins.setAllowedOriginPatterns(settings().allowedOriginPatterns());
			interceptors.add(origins);
			interceptors.add(new OpeningDataHandshakeInterceptor(
					new ChannelUpgrade(runtime(), definition.name(), this::accepting)));
			requestHandler.setHandshakeInterceptors(interceptors);
			urlMap.put(definition.route(), requestHandler);
		}
		WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
		mapping.setUrlMap(urlMap);
		mapping.setWebSocketUpgradeMatch(true);
		mapping.setOrder(1);
		return mapping;
	}

	ServletWriters writers() {
		return this.writers;
	}

	/**
	 * Ends the transport's writer threads as well.
	 */
	@Override
	public void destroy() {
		this.writers.stop();
		super.destroy();
	}

	boolean tryBlockingWrite() {
		return this.inPlaceWriters.tryAcquire();
	}

	void releaseBlockingWrite() {
		this.inPlaceWriters.release();
	}

}
