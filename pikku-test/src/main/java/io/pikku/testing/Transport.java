package io.pikku.testing;

/**
 * How a tester's connection sends: over a socket or into the runtime.
 */
interface Transport {

	/**
	 * Sends a text frame.
	 * @param frame the frame
	 */
	void send(String frame);

	/**
	 * Closes the connection.
	 */
	void close();

}
