package io.pikku.autoconfigure.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the channels behind AWS API Gateway WebSocket APIs
 * ({@code pikku.gateway.*}).
 */
@ConfigurationProperties("pikku.gateway")
public class PikkuGatewayProperties {

	/** Whether the channels run behind a managed gateway instead of in this JVM. */
	private boolean enabled;

	/**
	 * Where the gateway's HTTP integrations call: {path}/{api}/connect, message,
	 * disconnect.
	 */
	private String path = "/pikku/gateway";

	/** The shared secret every integration request must carry in the secret header. */
	private @Nullable String secret;

	/** The header the gateway maps the shared secret to. */
	private String secretHeader = "X-Pikku-Gateway-Secret";

	/** The header the gateway maps the connection id ($context.connectionId) to. */
	private String connectionIdHeader = "X-Pikku-Connection-Id";

	/** How a message's reply reaches the client. */
	private Replies replies = Replies.ROUTE_RESPONSE;

	/** Where connections and subscriptions are kept. */
	private Store store = Store.MEMORY;

	/** The gateway's limit on one message, both ways. */
	private DataSize maxMessageSize = DataSize.ofKilobytes(128);

	/**
	 * How long messages sent during onConnect are retried until the gateway has the
	 * connection.
	 */
	private Duration heldSendWindow = Duration.ofSeconds(5);

	/**
	 * The AWS region of the management API; by default, the one in each API's endpoint
	 * ({@code execute-api.{region}.amazonaws.com}), else us-east-1.
	 */
	private @Nullable String region;

	/** The APIs (one per channel), by a name of letters, digits and '-'. */
	private Map<String, Api> apis = new LinkedHashMap<>();

	private final Redis redis = new Redis();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public @Nullable String getSecret() {
		return this.secret;
	}

	public void setSecret(@Nullable String secret) {
		this.secret = secret;
	}

	public String getSecretHeader() {
		return this.secretHeader;
	}

	public void setSecretHeader(String secretHeader) {
		this.secretHeader = secretHeader;
	}

	public String getConnectionIdHeader() {
		return this.connectionIdHeader;
	}

	public void setConnectionIdHeader(String connectionIdHeader) {
		this.connectionIdHeader = connectionIdHeader;
	}

	public Replies getReplies() {
		return this.replies;
	}

	public void setReplies(Replies replies) {
		this.replies = replies;
	}

	public Store getStore() {
		return this.store;
	}

	public void setStore(Store store) {
		this.store = store;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	public Duration getHeldSendWindow() {
		return this.heldSendWindow;
	}

	public void setHeldSendWindow(Duration heldSendWindow) {
		this.heldSendWindow = heldSendWindow;
	}

	public @Nullable String getRegion() {
		return this.region;
	}

	public void setRegion(@Nullable String region) {
		this.region = region;
	}

	public Map<String, Api> getApis() {
		return this.apis;
	}

	public void setApis(Map<String, Api> apis) {
		this.apis = apis;
	}

	public Redis getRedis() {
		return this.redis;
	}

	/**
	 * How a message's reply reaches the client.
	 */
	public enum Replies {

		/** As the integration's route response (the $default route has one). */
		ROUTE_RESPONSE,

		/** Posted through the management API, like every other message. */
		POST

	}

	/**
	 * Where connections and subscriptions are kept.
	 */
	public enum Store {

		/** In this JVM: one instance, and tests. */
		MEMORY,

		/** In Redis (spring.data.redis.*), shared by every instance. */
		REDIS

	}

	/**
	 * One WebSocket API.
	 */
	public static class Api {

		/** The channel this API serves. */
		private @Nullable String channel;

		/**
		 * The API's management endpoint, e.g.
		 * https://{api-id}.execute-api.{region}.amazonaws.com/{stage}.
		 */
		private @Nullable URI endpoint;

		/**
		 * The API's id, which the events of a Lambda integration carry
		 * (requestContext.apiId); by default, the first label of an execute-api
		 * endpoint's host.
		 */
		private @Nullable String apiId;

		public @Nullable String getChannel() {
			return this.channel;
		}

		public void setChannel(@Nullable String channel) {
			this.channel = channel;
		}

		public @Nullable URI getEndpoint() {
			return this.endpoint;
		}

		public void setEndpoint(@Nullable URI endpoint) {
			this.endpoint = endpoint;
		}

		public @Nullable String getApiId() {
			return this.apiId;
		}

		public void setApiId(@Nullable String apiId) {
			this.apiId = apiId;
		}

	}

	/**
	 * The Redis store.
	 */
	public static class Redis {

		/** What every key starts with. */
		private String keyPrefix = "pikku:gateway:";

		/**
		 * How long a connection's record lives: the gateway's 2 h maximum plus a margin.
		 */
		private Duration recordTimeToLive = Duration.ofHours(2).plusMinutes(10);

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getRecordTimeToLive() {
			return this.recordTimeToLive;
		}

		public void setRecordTimeToLive(Duration recordTimeToLive) {
			this.recordTimeToLive = recordTimeToLive;
		}

	}

}
