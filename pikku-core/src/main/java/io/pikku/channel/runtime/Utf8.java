package io.pikku.channel.runtime;

/**
 * Sizes of text in UTF-8, as WebSocket frames and gateways count them, without encoding
 * it.
 */
public final class Utf8 {

	private Utf8() {
	}

	/**
	 * Whether text is longer than a limit in UTF-8 bytes, counting them only when the
	 * character count cannot tell.
	 * @param text the text
	 * @param limit the limit in bytes
	 * @return whether its UTF-8 encoding has more than {@code limit} bytes
	 */
	public static boolean exceeds(CharSequence text, int limit) {
		int chars = text.length();
		if (chars > limit) {
			return true;
		}
		if ((long) chars * 3 <= limit) {
			return false;
		}
		long bytes = 0;
		for (int i = 0; i < chars; i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes++;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c)) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes > limit;
	}

}
