package io.pikku.web.servlet;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What the Jakarta WebSocket API does not offer about a container's session, taken from
 * Tomcat's own where Tomcat is the container:
 * <ul>
 * <li>whether the session is closing: Tomcat 11.0's {@link Session#isOpen()} is still
 * {@code true} once the client's close frame has arrived, so it is read from Tomcat's
 * session state;</li>
 * <li>pausing and resuming the reading of frames ({@code WsSession.suspend()} and
 * {@code resume()}), so that a connection with too many frames in flight is slowed by
 * TCP.</li>
 * </ul>
 * On another container, or if Tomcat's internals change, this falls back to
 * {@link Session#isOpen()} and reads on without pausing.
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

	/** Stops reading frames, where the container can. */
	void suspend() {
		if (this.tomcat) {
			TOMCAT.invoke(TOMCAT.suspend(), this.session);
		}
	}

	/** Reads frames again. */
	void resume() {
		if (this.tomcat) {
			TOMCAT.invoke(TOMCAT.resume(), this.session);
		}
	}

	/** Tomcat's session state and reading controls, found once. */
	private record TomcatState(Class<?> sessionType, Field state, Object open, Method suspend, Method resume) {

		static @Nullable TomcatState find() {
			try {
				ClassLoader loader = ContainerSession.class.getClassLoader();
				Class<?> sessionType = Class.forName("org.apache.tomcat.websocket.WsSession", false, loader);
				Field state = sessionType.getDeclaredField("state");
				Class<?> stateType = Class.forName("org.apache.tomcat.websocket.WsSession$State", false, loader);
				for (Object constant : stateType.getEnumConstants()) {
					if ("OPEN".equals(((Enum<?>) constant).name()) && state.getType() == AtomicReference.class) {
						state.setAccessible(true);
						return new TomcatState(sessionType, state, constant, sessionType.getMethod("suspend"),
								sessionType.getMethod("resume"));
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

		void invoke(Method method, Session session) {
			try {
				method.invoke(session);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Could not " + method.getName() + " reading a session", ex);
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
