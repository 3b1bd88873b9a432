package io.pikku.web.servlet;

import io.pikku.web.AccessTokenMasking;
import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Masks the {@code access_token} query parameter in Tomcat's own record of a request once
 * it has been served, so that the access log ({@code server.tomcat.accesslog.*}, which
 * logs after the request) shows {@code access_token=***}.
 */
public class AccessTokenMaskingValve extends ValveBase {

	public AccessTokenMaskingValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		try {
			getNext().invoke(request, response);
		}
		finally {
			String query = request.getQueryString();
			if (AccessTokenMasking.needsMasking(query)) {
				request.getCoyoteRequest().queryString().setString(AccessTokenMasking.mask(query));
			}
		}
	}

}
