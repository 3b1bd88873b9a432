package io.pikku.channel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Named groups of {@link PermissionCheck}s: passes when any group passes; a group passes
 * when all of its checks pass.
 *
 * @param groups the groups by name, in declaration order
 */
public record Permissions(Map<String, List<PermissionCheck>> groups) {

	/** No groups: everything is allowed. */
	public static final Permissions NONE = new Permissions(Map.of());

	public Permissions {
		Map<String, List<PermissionCheck>> copy = new LinkedHashMap<>();
		groups.forEach((name, checks) -> {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("A permission group needs a name");
			}
			if (checks.isEmpty()) {
				throw new IllegalArgumentException("Permission group '" + name + "' has no checks");
			}
			copy.put(name, List.copyOf(checks));
		});
		groups = Collections.unmodifiableMap(copy);
	}

	/**
	 * Whether there is no group.
	 * @return whether everything is allowed
	 */
	public boolean isEmpty() {
		return this.groups.isEmpty();
	}

	/**
	 * These groups and another one.
	 * @param name the group's name
	 * @param checks the checks that must all pass
	 * @return the new permissions
	 */
	public Permissions and(String name, PermissionCheck... checks) {
		Map<String, List<PermissionCheck>> groups = new LinkedHashMap<>(this.groups);
		if (groups.put(name, List.of(checks)) != null) {
			throw new IllegalArgumentException("Permission group '" + name + "' is declared twice");
		}
		return new Permissions(groups);
	}

	/**
	 * Whether a call passes.
	 * @param input the bound input
	 * @param context the channel and session
	 * @return whether any group passes (true when there are none)
	 * @throws Exception if a check throws
	 */
	public boolean allows(@Nullable Object input, ChannelContext<?> context) throws Exception {
		if (this.groups.isEmpty()) {
			return true;
		}
		for (List<PermissionCheck> group : this.groups.values()) {
			boolean passes = true;
			for (PermissionCheck check : group) {
				if (!check.allows(input, context)) {
					passes = false;
					break;
				}
			}
			if (passes) {
				return true;
			}
		}
		return false;
	}

}
