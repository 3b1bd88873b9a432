package io.pikku.autoconfigure;

import io.pikku.eventhub.SubscriptionLimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of Pikku channels, under {@code pikku}.
 */
@ConfigurationProperties("pikku")
public class PikkuProperties {

	/**
	 * Whether to serve Pikku channels.
	 */
	private boolean enabled = true;

	/**
	 * Routing property of actions wired without one.
	 */
	private String defaultRoutingProperty = "action";

	/**
	 * Field a client may send with a call (a string or number) to match the reply; it is
	 * stripped from the input and echoed on that call's reply or error.
	 */
	private String correlationField = "correlationId";

	/**
	 * Whether to close a connection (code 1008) after answering it an error. By default
	 * the connection stays open.
	 */
	private boolean closeOnError;

	/**
	 * Largest text message accepted; a larger one is answered with 'too_large' and the
	 * connection stays open.
	 */
	private DataSize maxTextMessageSize = DataSize.ofKilobytes(64);

	/**
	 * Largest binary message accepted; a larger one is answered with 'too_large' and the
	 * connection stays open.
	 */
	private DataSize maxBinaryMessageSize = DataSize.ofKilobytes(64);

	/**
	 * Longest time one outbound message may take to send before its connection is closed
	 * as too slow.
	 */
	private Duration sendTimeLimit = Duration.ofSeconds(10);

	/**
	 * Most outbound data (one byte counted per character of text) queued for one
	 * connection before it is closed as too slow.
	 */
	private DataSize sendBufferLimit = DataSize.ofKilobytes(512);

	/**
	 * How long the connections of an instance that stopped without cleaning up stay
	 * visible to other instances (presence, channel records); refreshed every third of it
	 * while the instance lives.
	 */
	private Duration instanceTtl = Duration.ofSeconds(30);

	/**
	 * How long shutdown waits for clients to answer the close (1001) of their channels
	 * before cleaning up without them.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(5);

	/**
	 * How many connections this instance accepts; further upgrades are refused with 503.
	 * Raise the servlet container's own limit too (server.tomcat.max-connections, default
	 * 8192) and the process's open-files limit.
	 */
	private int maxConnections = 10_000;

	private final Channels channels = new Channels();

	private final Eventhub eventhub = new Eventhub();

	private final Heartbeat heartbeat = new Heartbeat();

	private final RateLimit rateLimit = new RateLimit();

	private final ApiDocs apiDocs = new ApiDocs();

	private final Observation observation = new Observation();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getDefaultRoutingProperty() {
		return this.defaultRoutingProperty;
	}

	public void setDefaultRoutingProperty(String defaultRoutingProperty) {
		this.defaultRoutingProperty = defaultRoutingProperty;
	}

	public String getCorrelationField() {
		return this.correlationField;
	}

	public void setCorrelationField(String correlationField) {
		this.correlationField = correlationField;
	}

	public boolean isCloseOnError() {
		return this.closeOnError;
	}

	public void setCloseOnError(boolean closeOnError) {
		this.closeOnError = closeOnError;
	}

	public DataSize getMaxTextMessageSize() {
		return this.maxTextMessageSize;
	}

	public void setMaxTextMessageSize(DataSize maxTextMessageSize) {
		this.maxTextMessageSize = maxTextMessageSize;
	}

	public DataSize getMaxBinaryMessageSize() {
		return this.maxBinaryMessageSize;
	}

	public void setMaxBinaryMessageSize(DataSize maxBinaryMessageSize) {
		this.maxBinaryMessageSize = maxBinaryMessageSize;
	}

	public Duration getSendTimeLimit() {
		return this.sendTimeLimit;
	}

	public void setSendTimeLimit(Duration sendTimeLimit) {
		this.sendTimeLimit = sendTimeLimit;
	}

	public DataSize getSendBufferLimit() {
		return this.sendBufferLimit;
	}

	public void setSendBufferLimit(DataSize sendBufferLimit) {
		this.sendBufferLimit = sendBufferLimit;
	}

	public Duration getInstanceTtl() {
		return this.instanceTtl;
	}

	public void setInstanceTtl(Duration instanceTtl) {
		this.instanceTtl = instanceTtl;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Channels getChannels() {
		return this.channels;
	}

	public Heartbeat getHeartbeat() {
		return this.heartbeat;
	}

	public RateLimit getRateLimit() {
		return this.rateLimit;
	}

	/**
	 * How many frames each connection may send; over it, calls answer 'rate_limited' and
	 * the connection stays open. An action may have its own limit in its wiring.
	 */
	public static class RateLimit {

		/**
		 * Sustained frames per second per connection. Unset: no limit.
		 */
		private Long messagesPerSecond;

		/**
		 * Frames a connection may send at once. Unset: the same as messages-per-second.
		 */
		private Long burst;

		public Long getMessagesPerSecond() {
			return this.messagesPerSecond;
		}

		public void setMessagesPerSecond(Long messagesPerSecond) {
			this.messagesPerSecond = messagesPerSecond;
		}

		public Long getBurst() {
			return this.burst;
		}

		public void setBurst(Long burst) {
			this.burst = burst;
		}

	}

	/**
	 * Pings that find connections whose client vanished without closing.
	 */
	public Observation getObservation() {
		return this.observation;
	}

	/**
	 * Observation of calls.
	 */
	public static class Observation {

		/**
		 * Whether to observe every call as {@code pikku.call} when tracing is on (a
		 * Micrometer Tracing {@code Tracer} exists). Without tracing, calls are measured
		 * by Pikku's meters only.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	public static class Heartbeat {

		/**
		 * How often each connection is pinged.
		 */
		private Duration interval = Duration.ofSeconds(25);

		/**
		 * How long a connection may stay silent (no pong, no frame) before it is closed
		 * and cleaned up. Must be longer than the interval.
		 */
		private Duration timeout = Duration.ofSeconds(60);

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	public Eventhub getEventhub() {
		return this.eventhub;
	}

	/**
	 * Which EventHub and channel store carry pub/sub and presence.
	 */
	public enum EventHubType {

		/**
		 * In this process only: the embedded default.
		 */
		MEMORY,

		/**
		 * Redis pub/sub and keys, shared by every instance (needs pikku-eventhub-redis).
		 */
		REDIS

	}

	/**
	 * Settings of the EventHub.
	 */
	public static class Eventhub {

		/**
		 * EventHub to use. By default Redis when pikku-eventhub-redis is on the classpath
		 * with a RedisConnectionFactory, otherwise in memory.
		 */
		private EventHubType type;

		/**
		 * How many topics one connection may subscribe to; a subscribe past it fails with
		 * 'limit_exceeded'.
		 */
		private int maxSubscriptionsPerConnection = 1000;

		public int getMaxSubscriptionsPerConnection() {
			return this.maxSubscriptionsPerConnection;
		}

		public void setMaxSubscriptionsPerConnection(int maxSubscriptionsPerConnection) {
			this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
		}

		public EventHubType getType() {
			return this.type;
		}

		public void setType(EventHubType type) {
			this.type = type;
		}

		/**
		 * The subscription limit of
		 * {@code pikku.eventhub.max-subscriptions-per-connection}.
		 * @return the limit
		 * @throws InvalidConfigurationPropertyValueException if it is not positive
		 */
		public SubscriptionLimit toSubscriptionLimit() {
			if (this.maxSubscriptionsPerConnection <= 0) {
				throw new InvalidConfigurationPropertyValueException("pikku.eventhub.max-subscriptions-per-connection",
						this.maxSubscriptionsPerConnection, "It must be positive.");
			}
			return new SubscriptionLimit(this.maxSubscriptionsPerConnection);
		}

	}

	/**
	 * Settings of the channel endpoints.
	 */
	public static class Channels {

		/**
		 * Origins allowed to open channels from a browser, as patterns (e.g.
		 * 'https://*.example.com', or '*' for any). Empty: the page's own origin only.
		 * Clients that send no Origin header, such as servers, are not affected.
		 */
		private List<String> allowedOrigins = new ArrayList<>();

		public List<String> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		public void setAllowedOrigins(List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

	}

	public ApiDocs getApiDocs() {
		return this.apiDocs;
	}

	/**
	 * Settings of the API description (AsyncAPI) of the channels.
	 */
	public static class ApiDocs {

		/**
		 * Whether to describe the channels and serve the AsyncAPI document.
		 */
		private boolean enabled = true;

		/**
		 * Path of the AsyncAPI document, without extension: it is served as JSON at
		 * '{path}.json' and, with Jackson's YAML module present, as YAML at
		 * '{path}.yaml'.
		 */
		private String path = "/pikku/asyncapi";

		/**
		 * Title of the API. By default spring.application.name, else 'Pikku channels'.
		 */
		private String title;

		/**
		 * Version of the API.
		 */
		private String version = "1.0.0";

		/**
		 * Description of the API.
		 */
		private String description;

		/**
		 * Servers the channels are served at, by name, as WebSocket URLs (e.g.
		 * 'wss://chat.example.com/app'). Empty: the server a request for the document
		 * reached.
		 */
		private Map<String, String> servers = new LinkedHashMap<>();

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

		public String getTitle() {
			return this.title;
		}

		public void setTitle(String title) {
			this.title = title;
		}

		public String getVersion() {
			return this.version;
		}

		public void setVersion(String version) {
			this.version = version;
		}

		public String getDescription() {
			return this.description;
		}

		public void setDescription(String description) {
			this.description = description;
		}

		public Map<String, String> getServers() {
			return this.servers;
		}

		public void setServers(Map<String, String> servers) {
			this.servers = servers;
		}

	}

}
