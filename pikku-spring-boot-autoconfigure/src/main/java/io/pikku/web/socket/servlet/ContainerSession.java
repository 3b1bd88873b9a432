package io.pikku.web.socket.servlet;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Whether a container's WebSocket session is closing, which the Jakarta WebSocket API
 * does not tell: Tomcat 11.0's {@link Session#isOpen()} is still {@code true} once the
 * client's close frame has arrived, so it is read from Tomcat's session state where
 * Tomcat is the container. On another container, or if Tomcat's internals change, this
 * falls back to {@link Session#isOpen()}.
 */
final class ContainerSession {

	private static final Log logger = LogFactory.getLog(ContainerSession.class);

	private static final @Nullable TomcatState TOMCAT = TomcatState.find();

	private final Session session;

	private final boolean tomcat;

	ContainerSession(Session session) {
		this.session = session;
		this.tomcat = TOMCAT != null && TOMCAT.sessionType().isInstance(session);
	}

	/**
	 * Whether the session is closing or closed: the client's close frame has arrived, or
	 * the container has started to close it.
	 * @return {@code true} once nothing more should be written
	 */
	boolean isClosing() {
		return !this.session.isOpen() || (this.tomcat && TOMCAT.isClosing(this.session));
	}

	/** Tomcat's session state, found once. */
	private record TomcatState(Class<?> sessionType, Field state, Object open) {

		static @Nullable TomcatState find() {
			try {
				ClassLoader loader = ContainerSession.class.getClassLoader();
				Class<?> sessionType = Class.forName("org.apache.tomcat.websocket.WsSession", false, loader);
				Field state = sessionType.getDeclaredField("state");
				Class<?> stateType = Class.forName("org.apache.tomcat.websocket.WsSession$State", false, loader);
				for (Object constant : stateType.getEnumConstants()) {
					if ("OPEN".equals(((Enum<?>) constant).name()) && state.getType() == AtomicReference.class) {
						state.setAccessible(true);
						return new TomcatState(sessionType, state, constant);
					}
				}
				return null;
			}
			catch (ClassNotFoundException ex) {
				return null;
			}
			catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
				logger.debug("Tomcat's WebSocket session state is not readable: a close is seen once the session "
						+ "reports it", ex);
				return null;
			}
		}

		boolean isClosing(Session session) {
			try {
				return ((AtomicReference<?>) this.state.get(session)).get() != this.open;
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				return false;
			}
		}

	}

}
