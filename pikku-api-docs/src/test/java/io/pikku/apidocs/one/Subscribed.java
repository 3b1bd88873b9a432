package io.pikku.apidocs.one;

/**
 * A type whose simple name another package has too.
 *
 * @param subscribed always true
 */
public record Subscribed(boolean subscribed) {

	/**
	 * A nested type whose simple name another class of this package has too.
	 *
	 * @param id the id
	 */
	public record Item(String id) {
	}

}
