package io.pikku.apidocs.two;

/**
 * A type whose simple name another package has too.
 *
 * @param subscribed always true
 * @param topic the topic
 */
public record Subscribed(boolean subscribed, String topic) {

	/**
	 * A nested type whose simple name another class of this package has too.
	 *
	 * @param name the name
	 */
	public record Item(String name) {
	}

	/**
	 * Another nested type.
	 */
	public static final class Holder {

		/**
		 * Same simple name and package as {@link Subscribed.Item}.
		 *
		 * @param count the count
		 */
		public record Item(int count) {
		}

	}

}
