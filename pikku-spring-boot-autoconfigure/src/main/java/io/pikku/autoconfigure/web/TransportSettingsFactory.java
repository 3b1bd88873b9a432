package io.pikku.autoconfigure.web;

import java.time.Duration;

import io.pikku.autoconfigure.PikkuProperties;
import io.pikku.web.TransportSettings;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Makes a transport's settings from the {@code pikku.*} properties, the same on every web
 * stack, and refuses values that cannot work.
 */
public final class TransportSettingsFactory {

	private TransportSettingsFactory() {
	}

	/**
	 * The transport settings of the given properties.
	 * @param properties the properties
	 * @return the settings
	 * @throws InvalidConfigurationPropertyValueException for a value that cannot work
	 */
	public static TransportSettings from(PikkuProperties properties) {
		Duration interval = properties.getHeartbeat().getInterval();
		Duration timeout = properties.getHeartbeat().getTimeout();
		if (interval.isNegative() || interval.isZero()) {
			throw new InvalidConfigurationPropertyValueException("pikku.heartbeat.interval", interval,
					"It must be positive.");
		}
		if (timeout.compareTo(interval) <= 0) {
			throw new InvalidConfigurationPropertyValueException("pikku.heartbeat.timeout", timeout,
					"It must be longer than pikku.heartbeat.interval (" + interval + ").");
		}
		if (properties.getMaxConnections() <= 0) {
			throw new InvalidConfigurationPropertyValueException("pikku.max-connections",
					properties.getMaxConnections(), "It must be positive.");
		}
		if (properties.getShutdownTimeout().isNegative()) {
			throw new InvalidConfigurationPropertyValueException("pikku.shutdown-timeout",
					properties.getShutdownTimeout(), "It must not be negative.");
		}
		return new TransportSettings(properties.getChannels().getAllowedOrigins(), properties.getSendTimeLimit(),
				properties.getSendBufferLimit().toBytes(), interval, timeout, properties.getShutdownTimeout(),
				properties.getMaxConnections());
	}

}
