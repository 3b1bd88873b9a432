package io.pikku.web.servlet;

import io.pikku.web.AccessTokenMasking;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hides the {@code access_token} query parameter from everything after the security
 * filter chain: the query string, the parameters and so the URI of the WebSocket session
 * read {@code access_token=***}, whatever logs them (Spring's request and session debug
 * logging, request-logging filters, exception messages). Registered right after Spring
 * Security's filter chain, which has already read the credential.
 */
public class AccessTokenMaskingFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (AccessTokenMasking.needsMasking(request.getQueryString())) {
			request = new MaskedRequest(request);
		}
		chain.doFilter(request, response);
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	private static final class MaskedRequest extends HttpServletRequestWrapper {

		private static final String[] MASKED = { AccessTokenMasking.MASK };

		MaskedRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable String getQueryString() {
			return AccessTokenMasking.mask(super.getQueryString());
		}

		@Override
		public @Nullable String getParameter(String name) {
			String value = super.getParameter(name);
			return (value != null && AccessTokenMasking.PARAMETER.equals(name)) ? AccessTokenMasking.MASK : value;
		}

		@Override
		public String @Nullable [] getParameterValues(String name) {
			String[] values = super.getParameterValues(name);
			if (values == null || !AccessTokenMasking.PARAMETER.equals(name)) {
				return values;
			}
			String[] masked = new String[values.length];
			Arrays.fill(masked, AccessTokenMasking.MASK);
			return masked;
		}

		@Override
		public Map<String, String[]> getParameterMap() {
			Map<String, String[]> parameters = super.getParameterMap();
			if (!parameters.containsKey(AccessTokenMasking.PARAMETER)) {
				return parameters;
			}
			Map<String, String[]> masked = new LinkedHashMap<>(parameters);
			masked.put(AccessTokenMasking.PARAMETER, MASKED.clone());
			return Collections.unmodifiableMap(masked);
		}

	}

}
