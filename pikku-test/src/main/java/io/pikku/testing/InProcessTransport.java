package io.pikku.testing;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.pikku.channel.ChannelClosedException;
import io.pikku.channel.PikkuSession;
import io.pikku.channel.runtime.ChannelConnection;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.OpenChannel;
import io.pikku.channel.runtime.OpeningDataException;
import io.pikku.client.PikkuConnection.CloseStatus;
import io.pikku.client.PikkuHandshakeException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tester's connection with no socket: frames go straight into the channel runtime on
 * the calling thread, and what the runtime sends lands in the inbox.
 */
final class InProcessTransport implements Transport, ChannelConnection {

	private final Inbox inbox;

	private final JsonMapper mapper;

	private volatile @Nullable OpenChannel channel;

	private InProcessTransport(Inbox inbox, JsonMapper mapper) {
		this.inbox = inbox;
		this.mapper = mapper;
	}

	static InProcessTransport open(ChannelRuntime runtime, String path, Map<String, List<String>> query,
			@Nullable PikkuSession session, Inbox inbox, JsonMapper mapper) {
		ChannelRuntime.RouteMatch match = runtime.match(path);
		if (match == null) {
			throw new PikkuHandshakeException(uri(path), 404, null, null);
		}
		String name = match.definition().name();
		Object openingData;
		try {
			openingData = runtime.bindOpeningData(name, match.pathVariables(), query);
		}
		catch (OpeningDataException ex) {
			throw new PikkuHandshakeException(uri(path), 400, ex.getBody(), ex);
		}
		InProcessTransport transport = new InProcessTransport(inbox, mapper);
		transport.channel = runtime.open(name, openingData, session, transport);
		return transport;
	}

	private static URI uri(String path) {
		try {
			return URI.create("ws://in-process" + path);
		}
		catch (IllegalArgumentException ex) {
			return URI.create("ws://in-process");
		}
	}

	@Override
	public void send(String frame) {
		OpenChannel open = this.channel;
		if (open == null || this.inbox.isClosed()) {
			throw new IllegalStateException("The connection is closed: " + this.inbox.closeStatus());
		}
		open.handleText(frame);
	}

	@Override
	public void close() {
		closed(1000, "closed by the client");
	}

	@Override
	public void sendText(String text) {
		OpenChannel open = this.channel;
		if (this.inbox.isClosed()) {
			throw new ChannelClosedException((open != null) ? open.id() : "opening");
		}
		try {
			this.inbox.add(this.mapper.readTree(text));
		}
		catch (JacksonException ex) {
			this.inbox.add(this.mapper.getNodeFactory().stringNode(text));
		}
	}

	@Override
	public void sendBinary(ByteBuffer data) {
		// Binary frames are tested over sockets.
	}

	@Override
	public void close(int code, @Nullable String reason) {
		// As a transport: told later, on another thread, that the connection closed.
		CompletableFuture.runAsync(() -> closed(code, (reason != null) ? reason : ""));
	}

	private void closed(int code, String reason) {
		this.inbox.closed(new CloseStatus(code, reason));
		OpenChannel open = this.channel;
		if (open != null) {
			open.handleClosed();
		}
	}

}
