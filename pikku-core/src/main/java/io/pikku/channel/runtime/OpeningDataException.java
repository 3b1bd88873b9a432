package io.pikku.channel.runtime;

/**
 * The opening data of an upgrade request failed binding or validation: the upgrade is
 * refused with HTTP 400 and {@link #getBody()}.
 */
public class OpeningDataException extends Exception {

	private final String body;

	OpeningDataException(String message, String body) {
		super(message, null, false, false);
		this.body = body;
	}

	/**
	 * The JSON body for the refused upgrade, in the structured error shape.
	 * @return the body
	 */
	public String getBody() {
		return this.body;
	}

}
