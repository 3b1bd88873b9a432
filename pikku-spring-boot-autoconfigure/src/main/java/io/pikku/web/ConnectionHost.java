package io.pikku.web;

import java.time.Duration;

/**
 * What a transport offers its connections: its settings, and threads for the short steps
 * that must not hold up the caller (a close, a ping on a container's blocking API) and
 * for steps that come later.
 */
public interface ConnectionHost {

	/**
	 * The transport's settings.
	 * @return the settings
	 */
	TransportSettings settings();

	/**
	 * Runs a short step that may block (a close, a ping) off the caller's thread.
	 * @param step the step
	 */
	void runInBackground(Runnable step);

	/**
	 * Runs a step later.
	 * @param delay how much later
	 * @param step the step
	 */
	void schedule(Duration delay, Runnable step);

}
